"""Compare compiled proto descriptors with S3M's wire contract (shared/s3m-contract/*.json).

Every mismatch is one line naming the element and the attribute, so a failing test says
exactly what drifted: `olcf.s3m.slurm.v0043.JobIdReq.job_id: number: contract 1, ours 2`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from google.api import annotations_pb2
from google.protobuf import descriptor_pb2

from s3m_grpc._upb.olcf.s3m.common.v1alpha import headers_pb2

FDP = descriptor_pb2.FieldDescriptorProto
TYPES = {
    getattr(FDP, name): name[len("TYPE_") :].lower()
    for name in FDP.Type.keys()  # noqa: SIM118 - protobuf enum wrapper, not a dict
}
LABELS = {FDP.LABEL_OPTIONAL: "singular", FDP.LABEL_REPEATED: "repeated"}


def _messages(
    prefix: str, msgs: Any, parent: str | None
) -> Iterator[tuple[str, str | None, descriptor_pb2.DescriptorProto]]:
    for m in msgs:
        full = f"{prefix}.{m.name}"
        yield full, parent, m
        yield from _messages(full, m.nested_type, full)


def _field_facts(f: descriptor_pb2.FieldDescriptorProto, m: Any) -> dict[str, Any]:
    t = TYPES[f.type]
    t = {"group": "message"}.get(t, t)
    label = LABELS.get(f.label, "singular")
    if f.proto3_optional:
        label = "optional"
    oneof = None
    if f.HasField("oneof_index") and not f.proto3_optional:
        oneof = m.oneof_decl[f.oneof_index].name
    return {
        "number": f.number,
        "type": t,
        "type_name": f.type_name.lstrip(".") or None,
        "label": label,
        "proto3_optional": f.proto3_optional,
        "json_name": f.json_name,
        "oneof": oneof,
    }


def _headers(options: Any, ext: Any) -> list[dict[str, Any]]:
    return [
        {"header": h.header, "param_name": h.param_name, "required": h.required}
        for h in options.Extensions[ext]
    ]


def compare(fd: descriptor_pb2.FileDescriptorProto, contract: dict[str, Any]) -> list[str]:
    """All differences between one compiled slurm.proto and one contract file."""
    out: list[str] = []

    def diff(where: str, attr: str, want: Any, got: Any) -> None:
        if want != got:
            out.append(f"{where}: {attr}: contract {want!r}, ours {got!r}")

    pkg = contract["proto_package"]
    diff(fd.name, "package", pkg, fd.package)
    diff(fd.name, "syntax", contract["syntax"], fd.syntax)
    diff(fd.name, "go_package", contract["go_package"], fd.options.go_package)

    # Service, methods, http rules, header params.
    want_svc = contract["service"]
    services = {f"{fd.package}.{s.name}": s for s in fd.service}
    svc = services.get(want_svc["full_name"])
    if svc is None:
        out.append(f"{want_svc['full_name']}: missing service (ours: {sorted(services)})")
    else:
        where = want_svc["full_name"]
        diff(where, "header_params", want_svc["header_params"],
             _headers(svc.options, headers_pb2.service_header_param))  # fmt: skip
        diff(where, "methods", [m["name"] for m in want_svc["methods"]],
             [m.name for m in svc.method])  # fmt: skip
        ours = {m.name: m for m in svc.method}
        for wm in want_svc["methods"]:
            rpc = ours.get(wm["name"])
            mw = f"{where}.{wm['name']}"
            if rpc is None:
                continue
            diff(mw, "input_type", wm["input_type"], rpc.input_type.lstrip("."))
            diff(mw, "output_type", wm["output_type"], rpc.output_type.lstrip("."))
            diff(mw, "client_streaming", wm["client_streaming"], rpc.client_streaming)
            diff(mw, "server_streaming", wm["server_streaming"], rpc.server_streaming)
            rule = rpc.options.Extensions[annotations_pb2.http]
            verb = rule.WhichOneof("pattern")
            got_http = {
                "method": verb,
                "path": getattr(rule, verb) if verb else None,
                "body": rule.body or None,
            }
            diff(mw, "http", wm["http"], got_http)
            diff(mw, "header_params", wm["header_params"],
                 _headers(rpc.options, headers_pb2.method_header_param))  # fmt: skip

    # Messages and fields.
    ours_msgs = {full: (parent, m) for full, parent, m in _messages(pkg, fd.message_type, None)}
    want_names = [m["full_name"] for m in contract["messages"]]
    for extra in sorted(set(ours_msgs) - set(want_names)):
        out.append(f"{extra}: message not in the contract")
    for wmsg in contract["messages"]:
        full = wmsg["full_name"]
        if full not in ours_msgs:
            out.append(f"{full}: message missing")
            continue
        parent, m = ours_msgs[full]
        diff(full, "parent", wmsg["parent"], parent)
        diff(full, "is_map_entry", wmsg["is_map_entry"], m.options.map_entry)
        real_oneofs = [
            {"name": o.name, "fields": [f.name for f in m.field
                                        if f.HasField("oneof_index") and f.oneof_index == i
                                        and not f.proto3_optional]}
            for i, o in enumerate(m.oneof_decl)
            if not any(f.proto3_optional and f.oneof_index == i for f in m.field)
        ]  # fmt: skip
        diff(full, "oneofs", wmsg["oneofs"], real_oneofs)
        diff(full, "reserved_ranges", wmsg["reserved_ranges"],
             [[r.start, r.end] for r in m.reserved_range])  # fmt: skip
        diff(full, "reserved_names", wmsg["reserved_names"], list(m.reserved_name))
        fields = {f.name: f for f in m.field}
        diff(full, "fields", [f["name"] for f in wmsg["fields"]], [f.name for f in m.field])
        for wf in wmsg["fields"]:
            f = fields.get(wf["name"])
            if f is None:
                continue
            facts = _field_facts(f, m)
            for attr, got in facts.items():
                diff(f"{full}.{wf['name']}", attr, wf[attr], got)
    diff(pkg, "enums", [e["full_name"] for e in contract["enums"]],
         [f"{pkg}.{e.name}" for e in fd.enum_type])  # fmt: skip
    return out


def compare_common(fd: descriptor_pb2.FileDescriptorProto, common: dict[str, Any]) -> list[str]:
    """Differences between our headers.proto and the contract's common.json entry."""
    (want,) = common["files"]
    out: list[str] = []
    if fd.package != want["proto_package"]:
        out.append(f"{fd.name}: package: contract {want['proto_package']!r}, ours {fd.package!r}")
    got_ext = [
        {"name": e.name, "full_name": f"{fd.package}.{e.name}", "extendee": e.extendee.lstrip("."),
         "number": e.number, "label": LABELS.get(e.label, "singular"), "type": TYPES[e.type],
         "type_name": e.type_name.lstrip(".") or None}
        for e in fd.extension
    ]  # fmt: skip
    if got_ext != want["extensions"]:
        out.append(f"{fd.name}: extensions: contract {want['extensions']!r}, ours {got_ext!r}")
    for wmsg in want["messages"]:
        name = wmsg["full_name"].rsplit(".", 1)[-1]
        ours = [m for m in fd.message_type if m.name == name]
        if not ours:
            out.append(f"{wmsg['full_name']}: message missing")
            continue
        for wf in wmsg["fields"]:
            f = next((f for f in ours[0].field if f.name == wf["name"]), None)
            if f is None:
                out.append(f"{wmsg['full_name']}.{wf['name']}: field missing")
                continue
            for attr, got in _field_facts(f, ours[0]).items():
                if wf[attr] != got:
                    out.append(f"{wmsg['full_name']}.{wf['name']}: {attr}: "
                               f"contract {wf[attr]!r}, ours {got!r}")  # fmt: skip
    return out
