"""The graph vocabulary: node labels, relationship types and the keys that identify nodes."""

# label -> identifying property (unique where the backend supports constraints)
NODE_KEYS: dict[str, str] = {
    "Document": "doc_id",
    "DocVersion": "version_id",
    "Section": "section_id",
    "Clause": "clause_id",
    "Organisation": "name",
    "IncidentType": "code",
    "GradingRule": "rule_id",
    "ResponseLevel": "level_id",
    "Duty": "duty_id",
    "ReportLimit": "limit_id",
    "LawRef": "ref_id",
    "Regulation": "reg_id",
    "PlanRef": "ref_id",
    "AnnexRef": "ref_id",
    "Case": "case_id",
    "Team": "team_id",
    "Supply": "supply_id",
    "Equipment": "equipment_id",
    "Expert": "expert_id",
    "Shelter": "shelter_id",
    "HazardSource": "hazard_id",
    "Depot": "depot_id",
    "Place": "place_id",
    "Meta": "key",
}

# properties worth an index beyond the keys
EXTRA_INDEXES: list[tuple[str, str]] = [
    ("Document", "kind"),
    ("Clause", "version_id"),
    ("Section", "version_id"),
    ("DocVersion", "doc_id"),
    ("Place", "name"),
    ("GradingRule", "version_id"),
    ("Duty", "version_id"),
]

RELATIONSHIP_TYPES: list[str] = [
    "HAS_VERSION", "CURRENT", "HAS_SECTION", "SUBSECTION", "HAS_CLAUSE",
    "COVERS", "HAS_RULE", "HAS_LEVEL", "ASSIGNS", "TO_ORG", "HAS_LIMIT", "CITES", "REFERS_TO",
    "SITS_UNDER", "SUPERSEDES", "STATED_IN", "MENTIONS", "LOCATED_IN", "STORED_AT", "OF_TYPE",
    "ACTIVATED", "PART_OF", "LISTS", "DESCRIBES", "CITES_PLAN", "NAMES",
]

LABELS: list[str] = list(NODE_KEYS)
