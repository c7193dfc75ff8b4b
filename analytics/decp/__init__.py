"""Subsequent contracts (marchés subséquents) read from French public procurement data (DECP)."""

SIMULATED_NOTICE_FR = (
    "Données simulées : aucun marché subséquent réel des accords-cadres agiles de la DINUM n'a été trouvé "
    "dans les DECP disponibles ; ces marchés sont générés par un script à graine fixe, calés sur les faits "
    "publiés (environ 66 M€ notifiés en 4 ans pour l'accord-cadre 2021). Chargez un fichier DECP réel pour "
    "analyser la dépense effective."
)
