//! The WIT grammar as a recursive-descent parser over [`Parser`].
//!
//! Each rule builds one node kind. Rules never fail: a missing token is reported and the
//! rule carries on; tokens that fit nowhere are wrapped in `ERROR` nodes. Recovery happens at
//! item boundaries (items of a file, an interface, a world, a resource), so one mistake does
//! not hide the next.

use crate::SyntaxKind::{self, *};
use crate::parser::{MAX_PACKAGE_DEPTH, MAX_TYPE_DEPTH, Marker, Parser, too_deep};
use crate::validate_id;

/// `wit-file ::= (package-decl ';')? (package-items | nested-package-definition)*`
pub(crate) fn source_file(p: &mut Parser<'_>) -> Marker {
    let root = p.start(SOURCE_FILE);
    let mut first = true;
    while !p.at(EOF) {
        package_item(p, false, first);
        first = false;
    }
    root
}

const PACKAGE_ITEM_START: &[SyntaxKind] = &[PACKAGE_KW, INTERFACE_KW, WORLD_KW, USE_KW, AT];

fn package_item(p: &mut Parser<'_>, nested: bool, first: bool) {
    let checkpoint = p.checkpoint();
    attributes(p);
    match p.current() {
        PACKAGE_KW => package(p, checkpoint, nested, first),
        INTERFACE_KW => {
            let m = p.start_at(checkpoint, INTERFACE);
            p.bump();
            name(p);
            item_list(p, interface_item);
            p.finish(m);
        }
        WORLD_KW => {
            let m = p.start_at(checkpoint, WORLD);
            p.bump();
            name(p);
            item_list(p, world_item);
            p.finish(m);
        }
        USE_KW => toplevel_use(p, checkpoint),
        _ => {
            p.error_expected("`world`, `interface` or `use`");
            let m = p.start_at(checkpoint, ERROR);
            recover_until(p, PACKAGE_ITEM_START, nested);
            p.finish(m);
        }
    }
}

/// Skips tokens until one in `stop` (or `}` when `stop_at_brace`), keeping blocks whole.
/// Always consumes at least one token unless already at a stop.
fn recover_until(p: &mut Parser<'_>, stop: &[SyntaxKind], stop_at_brace: bool) {
    let mut first = true;
    loop {
        let kind = p.current();
        if kind == EOF || (stop_at_brace && kind == R_BRACE) || (!first && stop.contains(&kind)) {
            break;
        }
        if first && stop.contains(&kind) && kind != AT {
            // A stop token that its rule could not use: consume it, or we would loop forever.
            p.bump();
            first = false;
            continue;
        }
        first = false;
        if kind == SEMICOLON {
            p.bump();
            break;
        }
        p.skip_token_as_error();
    }
}

/// `package a:b@1.0.0;` (only as the first item of a file) or `package a:b { … }`.
fn package(p: &mut Parser<'_>, checkpoint: rowan::Checkpoint, nested: bool, first: bool) {
    let keyword = p.current_range();
    if nested && p.depth() >= MAX_PACKAGE_DEPTH {
        p.error_at(keyword, too_deep("package", MAX_PACKAGE_DEPTH));
        let m = p.start_at(checkpoint, ERROR);
        while !p.at(EOF) {
            p.skip_token_as_error();
        }
        p.finish(m);
        return;
    }
    p.bump(); // `package`
    let name_start = p.current_range();
    package_name(p);
    if p.at(L_BRACE) {
        let m = p.start_at(checkpoint, NESTED_PACKAGE);
        if nested {
            let range = crate::TextRange::new(name_start.start(), p.last_end().max(name_start.start()));
            p.defer_error(range, "nested packages must be placed at the top-level");
        }
        p.bump();
        p.enter(u32::MAX, "");
        while !p.at(EOF) && !p.at(R_BRACE) {
            package_item(p, true, false);
        }
        p.leave();
        p.expect(R_BRACE);
        p.finish(m);
    } else {
        let m = p.start_at(checkpoint, PACKAGE_DECL);
        if first || !p.at(SEMICOLON) {
            p.expect(SEMICOLON);
        } else {
            // A second `package …;` header: only blocks may follow the first item.
            p.error_expected("'{'");
            p.bump();
        }
        p.finish(m);
    }
}

/// `ns:name@version` (the version is optional).
fn package_name(p: &mut Parser<'_>) {
    let m = p.start(PACKAGE_NAME);
    ident_token(p);
    if p.expect(COLON) {
        ident_token(p);
    }
    if p.at(AT) {
        version(p);
    }
    p.finish(m);
}

/// `@1.2.3-pre.1+build.5`.
fn version(p: &mut Parser<'_>) {
    let m = p.start(VERSION);
    p.bump(); // `@`
    version_body(p);
    p.finish(m);
}

/// `@since(version = …)`, `@unstable(feature = …)`, `@deprecated(version = …)`,
/// `@external-id("…")`, any number of them.
fn attributes(p: &mut Parser<'_>) {
    while p.at(AT) {
        let m = p.start(ATTRIBUTE);
        p.bump();
        let attr_name = p.nth_text(0).to_string();
        if !matches!(p.current(), IDENT) {
            p.error_expected("an attribute name");
            p.finish(m);
            return;
        }
        match attr_name.as_str() {
            "since" | "unstable" | "deprecated" | "external-id" => p.bump(),
            other => {
                p.error_here(format!(
                    "unknown attribute `{other}`: expected `since`, `unstable`, `deprecated` or `external-id`"
                ));
                p.bump();
            }
        }
        if p.expect(L_PAREN) {
            if attr_name == "external-id" {
                p.expect(STRING);
            } else {
                let key = match attr_name.as_str() {
                    "unstable" => "feature",
                    _ => "version",
                };
                attribute_arg(p, key);
                if attr_name == "since" && p.at(COMMA) {
                    // Older syntax: `@since(version = 1.0.0, feature = x)`.
                    p.bump();
                    attribute_arg(p, "feature");
                }
            }
            p.expect(R_PAREN);
        }
        p.finish(m);
    }
}

fn attribute_arg(p: &mut Parser<'_>, key: &str) {
    let m = p.start(ATTRIBUTE_ARG);
    if p.at(IDENT) && p.nth_text(0) == key {
        p.bump();
    } else {
        p.error_expected(&format!("`{key}`"));
        p.finish(m);
        return;
    }
    if p.expect(EQ) {
        if key == "version" {
            let v = p.start(VERSION);
            version_body(p);
            p.finish(v);
        } else {
            ident_token(p);
        }
    }
    p.finish(m);
}

/// A version without its `@` (as in `@since(version = 1.2.3)`).
fn version_body(p: &mut Parser<'_>) {
    let start = p.current_range().start();
    if !(p.expect(INTEGER) && p.expect(DOT) && p.expect(INTEGER) && p.expect(DOT) && p.expect(INTEGER)) {
        return;
    }
    while p.current_is_adjacent() {
        let kind = p.current();
        let is_part = matches!(kind, IDENT | INTEGER | MINUS | PLUS) || kind.is_keyword();
        // A `.` belongs to the version only when more version follows it (not `.{`).
        let is_inner_dot = kind == DOT && (matches!(p.nth(1), IDENT | INTEGER | MINUS) || p.nth(1).is_keyword());
        if is_part || is_inner_dot {
            p.bump();
        } else {
            break;
        }
    }
    let end = p.last_end();
    let text = p.slice(start, end);
    if let Err(err) = semver::Version::parse(text) {
        p.error_at(crate::TextRange::new(start, end), format!("invalid semver version `{text}`: {err}"));
    }
}

/// `use path (as name)?;` at the top of a file.
fn toplevel_use(p: &mut Parser<'_>, checkpoint: rowan::Checkpoint) {
    let m = p.start_at(checkpoint, TOPLEVEL_USE);
    p.bump();
    use_path(p);
    if p.at(AS_KW) {
        let r = p.start(RENAME);
        p.bump();
        name(p);
        p.finish(r);
    }
    p.expect(SEMICOLON);
    p.finish(m);
}

/// `id` or `ns:pkg/id@version`.
fn use_path(p: &mut Parser<'_>) {
    let m = p.start(USE_PATH);
    if matches!(p.current(), IDENT | EXPLICIT_IDENT) && p.nth(1) == COLON {
        let pkg = p.start(PACKAGE_NAME);
        ident_token(p);
        p.bump(); // `:`
        ident_token(p);
        p.finish(pkg);
        if p.expect(SLASH) {
            name_ref(p);
        }
        if p.at(AT) {
            version(p);
        }
    } else {
        name_ref(p);
    }
    p.finish(m);
}

/// `{ item* }` with `item` parsing one item (attributes included).
fn item_list(p: &mut Parser<'_>, item: fn(&mut Parser<'_>)) {
    let m = p.start(ITEM_LIST);
    if p.expect(L_BRACE) {
        loop {
            match p.current() {
                EOF => break,
                R_BRACE => break,
                // Probably a missing `}`: let the enclosing rule take it from here.
                INTERFACE_KW | WORLD_KW | PACKAGE_KW => break,
                _ => item(p),
            }
        }
        p.expect(R_BRACE);
    }
    p.finish(m);
}

const INTERFACE_ITEM_START: &[SyntaxKind] =
    &[USE_KW, TYPE_KW, RECORD_KW, VARIANT_KW, ENUM_KW, FLAGS_KW, RESOURCE_KW, AT];

fn interface_item(p: &mut Parser<'_>) {
    let checkpoint = p.checkpoint();
    attributes(p);
    match p.current() {
        USE_KW => use_item(p, checkpoint),
        kind if typedef_start(kind) => typedef(p, checkpoint),
        IDENT | EXPLICIT_IDENT => {
            let m = p.start_at(checkpoint, FUNC);
            name(p);
            p.expect(COLON);
            func_type(p);
            p.expect(SEMICOLON);
            p.finish(m);
        }
        _ => {
            p.error_expected("`type`, `resource` or `func`");
            let m = p.start_at(checkpoint, ERROR);
            recover_item(p, INTERFACE_ITEM_START);
            p.finish(m);
        }
    }
}

/// Skips to the next plausible item start inside a `{ … }` item list.
fn recover_item(p: &mut Parser<'_>, stop: &[SyntaxKind]) {
    let mut first = true;
    loop {
        let kind = p.current();
        if matches!(kind, EOF | R_BRACE | INTERFACE_KW | WORLD_KW | PACKAGE_KW) && !first {
            break;
        }
        if matches!(kind, EOF | R_BRACE) {
            break;
        }
        if !first && (stop.contains(&kind) || (matches!(kind, IDENT | EXPLICIT_IDENT) && p.nth(1) == COLON)) {
            break;
        }
        first = false;
        if kind == SEMICOLON {
            p.bump();
            break;
        }
        p.skip_token_as_error();
    }
}

fn typedef_start(kind: SyntaxKind) -> bool {
    matches!(kind, TYPE_KW | RECORD_KW | VARIANT_KW | ENUM_KW | FLAGS_KW | RESOURCE_KW)
}

fn typedef(p: &mut Parser<'_>, checkpoint: rowan::Checkpoint) {
    match p.current() {
        TYPE_KW => {
            let m = p.start_at(checkpoint, TYPE_ALIAS);
            p.bump();
            name(p);
            p.expect(EQ);
            ty(p);
            p.expect(SEMICOLON);
            p.finish(m);
        }
        RECORD_KW => {
            let m = p.start_at(checkpoint, RECORD);
            p.bump();
            name(p);
            comma_list(p, L_BRACE, R_BRACE, |p| {
                let f = p.start(RECORD_FIELD);
                attributes(p);
                name(p);
                p.expect(COLON);
                ty(p);
                p.finish(f);
            });
            p.finish(m);
        }
        VARIANT_KW => {
            let m = p.start_at(checkpoint, VARIANT);
            p.bump();
            name(p);
            comma_list(p, L_BRACE, R_BRACE, |p| {
                let c = p.start(VARIANT_CASE);
                attributes(p);
                name(p);
                if p.eat(L_PAREN) {
                    ty(p);
                    p.expect(R_PAREN);
                }
                p.finish(c);
            });
            p.finish(m);
        }
        ENUM_KW => {
            let m = p.start_at(checkpoint, ENUM);
            p.bump();
            name(p);
            comma_list(p, L_BRACE, R_BRACE, |p| {
                let c = p.start(ENUM_CASE);
                attributes(p);
                name(p);
                p.finish(c);
            });
            p.finish(m);
        }
        FLAGS_KW => {
            let m = p.start_at(checkpoint, FLAGS);
            p.bump();
            name(p);
            comma_list(p, L_BRACE, R_BRACE, |p| {
                let c = p.start(FLAG);
                attributes(p);
                name(p);
                p.finish(c);
            });
            p.finish(m);
        }
        RESOURCE_KW => {
            let m = p.start_at(checkpoint, RESOURCE);
            p.bump();
            name(p);
            if !p.eat(SEMICOLON) {
                let body = p.start(RESOURCE_BODY);
                if p.at(L_BRACE) {
                    p.bump();
                    loop {
                        match p.current() {
                            EOF | R_BRACE => break,
                            INTERFACE_KW | WORLD_KW | PACKAGE_KW => break,
                            _ => resource_item(p),
                        }
                    }
                    p.expect(R_BRACE);
                } else {
                    p.error_expected("';' or '{'");
                }
                p.finish(body);
            }
            p.finish(m);
        }
        _ => unreachable!("typedef called off a typedef keyword"),
    }
}

fn resource_item(p: &mut Parser<'_>) {
    let checkpoint = p.checkpoint();
    attributes(p);
    match p.current() {
        CONSTRUCTOR_KW => {
            let m = p.start_at(checkpoint, CONSTRUCTOR);
            p.bump();
            param_list(p);
            if p.at(ARROW) {
                result_clause(p);
            }
            p.expect(SEMICOLON);
            p.finish(m);
        }
        IDENT | EXPLICIT_IDENT => {
            let m = p.start_at(checkpoint, RESOURCE_METHOD);
            name(p);
            p.expect(COLON);
            p.eat(STATIC_KW);
            func_type(p);
            p.expect(SEMICOLON);
            p.finish(m);
        }
        _ => {
            p.error_expected("`constructor` or identifier");
            let m = p.start_at(checkpoint, ERROR);
            recover_item(p, &[CONSTRUCTOR_KW, AT]);
            p.finish(m);
        }
    }
}

/// `async? func(params) (-> type)?`
fn func_type(p: &mut Parser<'_>) {
    let m = p.start(FUNC_TYPE);
    p.eat(ASYNC_KW);
    if p.expect(FUNC_KW) {
        param_list(p);
        if p.at(ARROW) {
            result_clause(p);
        }
    }
    p.finish(m);
}

fn param_list(p: &mut Parser<'_>) {
    let m = p.start(PARAM_LIST);
    comma_list(p, L_PAREN, R_PAREN, |p| {
        let param = p.start(PARAM);
        name(p);
        p.expect(COLON);
        ty(p);
        p.finish(param);
    });
    p.finish(m);
}

fn result_clause(p: &mut Parser<'_>) {
    let m = p.start(RESULT_TYPE_CLAUSE);
    p.bump(); // `->`
    ty(p);
    p.finish(m);
}

/// `open (elem (',' elem)* ','?)? close`, recovering at commas and the closer.
fn comma_list(p: &mut Parser<'_>, open: SyntaxKind, close: SyntaxKind, mut elem: impl FnMut(&mut Parser<'_>)) {
    if !p.expect(open) {
        return;
    }
    loop {
        if p.at(close) || p.at(EOF) {
            break;
        }
        let before = p.position();
        elem(p);
        if p.eat(COMMA) {
            continue;
        }
        if p.at(close) {
            break;
        }
        // Neither a comma nor the closer: report and skip to one of them.
        p.error_expected(&format!("{} or {}", COMMA.describe(), close.describe()));
        if matches!(p.current(), INTERFACE_KW | WORLD_KW | PACKAGE_KW | R_BRACE) && close != R_BRACE {
            return;
        }
        if matches!(p.current(), INTERFACE_KW | WORLD_KW | PACKAGE_KW) {
            return;
        }
        while !p.at(COMMA) && !p.at(close) && !p.at(EOF) && !p.at(SEMICOLON) {
            p.skip_token_as_error();
        }
        if p.at(SEMICOLON) && close != R_BRACE {
            return;
        }
        if !p.eat(COMMA) && p.position() == before {
            break;
        }
    }
    p.expect(close);
}

fn world_item(p: &mut Parser<'_>) {
    let checkpoint = p.checkpoint();
    attributes(p);
    match p.current() {
        IMPORT_KW | EXPORT_KW => {
            let kind = if p.at(IMPORT_KW) { IMPORT } else { EXPORT };
            let m = p.start_at(checkpoint, kind);
            p.bump();
            extern_kind(p);
            p.finish(m);
        }
        USE_KW => use_item(p, checkpoint),
        INCLUDE_KW => {
            let m = p.start_at(checkpoint, INCLUDE);
            p.bump();
            use_path(p);
            if p.at(WITH_KW) {
                let w = p.start(INCLUDE_WITH);
                p.bump();
                comma_list(p, L_BRACE, R_BRACE, |p| {
                    let n = p.start(INCLUDE_NAME);
                    name_ref(p);
                    let r = p.start(RENAME);
                    p.expect(AS_KW);
                    name(p);
                    p.finish(r);
                    p.finish(n);
                });
                p.finish(w);
            } else {
                p.expect(SEMICOLON);
            }
            p.finish(m);
        }
        kind if typedef_start(kind) => typedef(p, checkpoint),
        _ => {
            p.error_expected("`import`, `export`, `include`, `use`, or type definition");
            let m = p.start_at(checkpoint, ERROR);
            recover_item(
                p,
                &[
                    IMPORT_KW,
                    EXPORT_KW,
                    USE_KW,
                    INCLUDE_KW,
                    TYPE_KW,
                    RECORD_KW,
                    VARIANT_KW,
                    ENUM_KW,
                    FLAGS_KW,
                    RESOURCE_KW,
                    AT,
                ],
            );
            p.finish(m);
        }
    }
}

/// What follows `import`/`export`: `name: func…;`, `name: interface {…}`, `name: path;` or `path;`.
fn extern_kind(p: &mut Parser<'_>) {
    let named = matches!(p.current(), IDENT | EXPLICIT_IDENT) && p.nth(1) == COLON;
    let qualified_path = named && matches!(p.nth(2), IDENT | EXPLICIT_IDENT) && p.nth(3) == SLASH;
    if named && !qualified_path {
        let m = p.start(EXTERN_NAMED);
        name(p);
        p.bump(); // `:`
        match p.current() {
            FUNC_KW | ASYNC_KW => {
                func_type(p);
                p.expect(SEMICOLON);
            }
            INTERFACE_KW => {
                let i = p.start(INLINE_INTERFACE);
                p.bump();
                item_list(p, interface_item);
                p.finish(i);
            }
            _ => {
                use_path(p);
                p.expect(SEMICOLON);
            }
        }
        p.finish(m);
    } else {
        let m = p.start(EXTERN_PATH);
        use_path(p);
        p.expect(SEMICOLON);
        p.finish(m);
    }
}

/// `use path.{a, b as c};` inside an interface or world.
fn use_item(p: &mut Parser<'_>, checkpoint: rowan::Checkpoint) {
    let m = p.start_at(checkpoint, USE);
    p.bump();
    use_path(p);
    if p.expect(DOT) {
        let list = p.start(USE_NAME_LIST);
        comma_list(p, L_BRACE, R_BRACE, |p| {
            let n = p.start(USE_NAME);
            name_ref(p);
            if p.at(AS_KW) {
                let r = p.start(RENAME);
                p.bump();
                name(p);
                p.finish(r);
            }
            p.finish(n);
        });
        p.finish(list);
    }
    p.expect(SEMICOLON);
    p.finish(m);
}

/// A type expression.
fn ty(p: &mut Parser<'_>) {
    if !p.enter(MAX_TYPE_DEPTH, "type") {
        // Swallow the rest of this (absurdly deep) type so recovery resumes after it.
        let m = p.start(ERROR);
        let mut depth = 0i32;
        while !p.at(EOF) {
            match p.current() {
                L_ANGLE => depth += 1,
                R_ANGLE => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                SEMICOLON | R_BRACE | R_PAREN if depth <= 0 => break,
                _ => {}
            }
            p.bump();
        }
        p.finish(m);
        return;
    }
    let kind = p.current();
    match kind {
        k if k.is_primitive_type() => {
            let m = p.start(PRIMITIVE_TYPE);
            p.bump();
            p.finish(m);
        }
        IDENT | EXPLICIT_IDENT => {
            let m = p.start(NAMED_TYPE);
            name_ref(p);
            p.finish(m);
        }
        LIST_KW => {
            let m = p.start(LIST_TYPE);
            p.bump();
            if p.expect(L_ANGLE) {
                ty(p);
                if p.eat(COMMA) {
                    p.expect(INTEGER);
                }
                p.expect(R_ANGLE);
            }
            p.finish(m);
        }
        MAP_KW => {
            let m = p.start(MAP_TYPE);
            p.bump();
            if p.expect(L_ANGLE) {
                ty(p);
                if p.expect(COMMA) {
                    ty(p);
                }
                p.expect(R_ANGLE);
            }
            p.finish(m);
        }
        OPTION_KW => {
            let m = p.start(OPTION_TYPE);
            p.bump();
            if p.expect(L_ANGLE) {
                ty(p);
                p.expect(R_ANGLE);
            }
            p.finish(m);
        }
        RESULT_KW => {
            let m = p.start(RESULT_TYPE);
            p.bump();
            if p.eat(L_ANGLE) {
                if p.at(UNDERSCORE) {
                    let e = p.start(EMPTY_TYPE);
                    p.bump();
                    p.finish(e);
                    if p.expect(COMMA) {
                        ty(p);
                    }
                } else {
                    ty(p);
                    if p.eat(COMMA) {
                        ty(p);
                    }
                }
                p.expect(R_ANGLE);
            }
            p.finish(m);
        }
        TUPLE_KW => {
            let m = p.start(TUPLE_TYPE);
            p.bump();
            comma_list(p, L_ANGLE, R_ANGLE, ty);
            p.finish(m);
        }
        OWN_KW | BORROW_KW => {
            let m = p.start(if kind == OWN_KW { OWN_TYPE } else { BORROW_TYPE });
            p.bump();
            if p.expect(L_ANGLE) {
                name_ref(p);
                p.expect(R_ANGLE);
            }
            p.finish(m);
        }
        FUTURE_KW | STREAM_KW => {
            let m = p.start(if kind == FUTURE_KW { FUTURE_TYPE } else { STREAM_TYPE });
            p.bump();
            if p.eat(L_ANGLE) {
                ty(p);
                p.expect(R_ANGLE);
            }
            p.finish(m);
        }
        _ => p.error_expected("a type"),
    }
    p.leave();
}

/// A defining name.
fn name(p: &mut Parser<'_>) {
    if matches!(p.current(), IDENT | EXPLICIT_IDENT) {
        let m = p.start(NAME);
        ident_token(p);
        p.finish(m);
    } else {
        p.error_expected("an identifier");
    }
}

/// A referring name.
fn name_ref(p: &mut Parser<'_>) {
    if matches!(p.current(), IDENT | EXPLICIT_IDENT) {
        let m = p.start(NAME_REF);
        ident_token(p);
        p.finish(m);
    } else {
        p.error_expected("an identifier");
    }
}

/// Consumes an identifier token, checking that it is kebab-case.
fn ident_token(p: &mut Parser<'_>) {
    match p.current() {
        IDENT | EXPLICIT_IDENT => {
            let text = p.nth_text(0);
            let bare = text.strip_prefix('%').unwrap_or(text);
            if let Err(message) = validate_id(bare) {
                p.error_here(message);
            }
            p.bump();
        }
        _ => p.error_expected("an identifier"),
    }
}
