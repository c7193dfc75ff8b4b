"""The panorama of the State's large digital projects: one row per project per edition."""
