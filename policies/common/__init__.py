"""What the rules share: declaring a rule, reading properties and policy documents, linking."""
