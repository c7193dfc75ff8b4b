"""French public procurement data (DECP), the framework registry, the orders ledger, and the spend by lot."""

SIMULATED_NOTICE_FR = (
    "Données simulées : aucun marché subséquent ni bon de commande réel des accords-cadres agiles de la DINUM "
    "n'est publié dans les sources disponibles ; le jeu par défaut (marchés subséquents du lot 2 au format DECP, "
    "bons de commande du lot 1 et de l'accord-cadre 2021 au format du registre des bons de commande) est généré "
    "par un script à graine fixe, calé sur les faits publiés (environ 66 M€ en 4 ans pour l'accord-cadre 2021). "
    "Chargez un fichier DECP réel ou votre registre des bons de commande pour analyser la dépense effective."
)
SIMULATED_SHORT_FR = (
    "Données simulées : aucune dépense réelle de ces accords-cadres n'est publiée ; scénario généré par un script à "
    "graine fixe, calé sur les faits publiés."
)
"""On a projector, where the full notice would take the screen."""
