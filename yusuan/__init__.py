"""yusuan (预算): reads Chinese government budget disclosures year over year and flags what
does not add up."""

__version__ = "0.1.0"
