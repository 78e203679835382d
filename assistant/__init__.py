"""Query side of the assistant: retrieve -> pick quotes -> cite -> answer or abstain; conversations; CLI."""
