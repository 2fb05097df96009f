"""Event-type rules and the actor dictionary, edited by analysts in the admin."""
