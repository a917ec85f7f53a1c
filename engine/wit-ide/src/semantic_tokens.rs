//! Semantic tokens: a classification of every meaningful token, for highlighting.

use canopy_wit_analysis::AnalysisHost;
use canopy_wit_analysis::resolve::Location;
use canopy_wit_syntax::SyntaxKind::*;
use canopy_wit_syntax::ast::{self, AstNode};
use canopy_wit_syntax::{SyntaxNode, SyntaxToken, TextRange, TextSize};

use crate::lookup::{self, FileCtx, ReferenceMap};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SemanticTokenKind {
    /// A keyword.
    Keyword,
    /// A comment.
    Comment,
    /// A doc comment.
    DocComment,
    /// A string literal.
    String,
    /// A number or version.
    Number,
    /// Punctuation with meaning (`->`, `=`, `@`, …).
    Operator,
    /// A package namespace or name.
    Namespace,
    /// An interface name.
    Interface,
    /// A world name.
    World,
    /// A type alias or `use`d type whose target is not more specific.
    Type,
    /// A resource.
    Resource,
    /// An enum.
    Enum,
    /// An enum case or flag.
    EnumMember,
    /// A record, variant or flags type.
    Struct,
    /// A record field or variant case.
    Field,
    /// A function.
    Function,
    /// A resource method, static function or constructor.
    Method,
    /// A function parameter.
    Parameter,
    /// An attribute (`@since`, …).
    Decorator,
    /// A builtin generic (`list`, `option`, `result`, …).
    TypeParameter,
}

/// Bits of [`SemanticToken::modifiers`].
pub mod modifiers {
    /// The token is the name at a definition.
    pub const DECLARATION: u32 = 1 << 0;
    /// The item is `@deprecated`.
    pub const DEPRECATED: u32 = 1 << 1;
    /// A primitive or builtin type.
    pub const DEFAULT_LIBRARY: u32 = 1 << 2;
    /// Documentation.
    pub const DOCUMENTATION: u32 = 1 << 3;
}

/// One classified token; never spans lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SemanticToken {
    /// Where.
    pub range: TextRange,
    /// What.
    pub kind: SemanticTokenKind,
    /// Bits from [`modifiers`].
    pub modifiers: u32,
}

/// Tokens of `path` (those touching `range` if given), sorted, non-overlapping, each on one
/// line.
pub fn semantic_tokens(host: &AnalysisHost, path: &str, range: Option<TextRange>) -> Vec<SemanticToken> {
    let Some(ctx) = FileCtx::new(host, path) else { return Vec::new() };
    let range = match range {
        Some(range) => match ctx.clamp(range) {
            Some(range) => range,
            None => return Vec::new(),
        },
        None => ctx.root.text_range(),
    };
    let refs = ReferenceMap::new(ctx.resolved());
    let mut tokens = Vec::new();
    for token in ctx.root.descendants_with_tokens().filter_map(|e| e.into_token()) {
        let token_range = token.text_range();
        if token_range.start() >= range.end() || token_range.end() <= range.start() {
            continue;
        }
        let Some((kind, modifiers)) = classify_token(&ctx, &refs, &token) else { continue };
        split_lines(&token, kind, modifiers, &mut tokens);
    }
    tokens
}

/// Pushes one semantic token per line of `token`'s text.
fn split_lines(token: &SyntaxToken, kind: SemanticTokenKind, modifiers: u32, out: &mut Vec<SemanticToken>) {
    let mut start = token.text_range().start();
    for line in token.text().split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let len = TextSize::of(content);
        if !content.is_empty() {
            out.push(SemanticToken { range: TextRange::at(start, len), kind, modifiers });
        }
        start += TextSize::of(line);
    }
}

fn classify_token(ctx: &FileCtx<'_>, refs: &ReferenceMap, token: &SyntaxToken) -> Option<(SemanticTokenKind, u32)> {
    use SemanticTokenKind as K;
    let kind = token.kind();
    if kind == WHITESPACE {
        return None;
    }
    let parent = token.parent()?;
    if parent.kind() == VERSION || parent.parent().is_some_and(|p| p.kind() == VERSION) {
        return (kind != AT).then_some((K::Number, 0));
    }
    Some(match kind {
        LINE_COMMENT | BLOCK_COMMENT => (K::Comment, 0),
        DOC_COMMENT | DOC_BLOCK_COMMENT => (K::DocComment, modifiers::DOCUMENTATION),
        STRING => (K::String, 0),
        INTEGER => (K::Number, 0),
        ARROW | EQ | STAR => (K::Operator, 0),
        AT if parent.kind() == ATTRIBUTE => (K::Decorator, 0),
        AT => (K::Operator, 0),
        IDENT | EXPLICIT_IDENT => return classify_ident(ctx, refs, token, &parent),
        kind if kind.is_primitive_type() => (K::Type, modifiers::DEFAULT_LIBRARY),
        LIST_KW | MAP_KW | OPTION_KW | RESULT_KW | TUPLE_KW | FUTURE_KW | STREAM_KW | OWN_KW | BORROW_KW => {
            (K::TypeParameter, modifiers::DEFAULT_LIBRARY)
        }
        kind if kind.is_keyword() => (K::Keyword, 0),
        _ => return None,
    })
}

fn classify_ident(
    ctx: &FileCtx<'_>,
    refs: &ReferenceMap,
    token: &SyntaxToken,
    parent: &SyntaxNode,
) -> Option<(SemanticTokenKind, u32)> {
    use SemanticTokenKind as K;
    match parent.kind() {
        ATTRIBUTE => Some((K::Decorator, 0)),
        ATTRIBUTE_ARG => {
            let is_key =
                parent.children_with_tokens().find_map(|e| e.into_token().filter(|t| lookup::is_ident(t.kind())))
                    == Some(token.clone());
            Some(if is_key { (K::Parameter, 0) } else { (K::String, 0) })
        }
        PACKAGE_NAME => Some((K::Namespace, 0)),
        NAME => {
            let location = ctx.location(token.text_range());
            let (kind, deprecated) = match parent.parent().map(|p| p.kind()) {
                // A `use … as alias` or `include … with { a as b }` takes its target's kind.
                Some(RENAME) => {
                    let definition = lookup::definition_of(ctx.host, refs, location);
                    classify_definition(ctx, definition).unwrap_or((K::Type, false))
                }
                _ => classify_definition(ctx, location)?,
            };
            Some((kind, modifiers::DECLARATION | deprecated_bit(deprecated)))
        }
        NAME_REF => {
            let declaration = refs.target(ctx.location(token.text_range()))?;
            let definition = lookup::definition_of(ctx.host, refs, declaration);
            let (kind, deprecated) = classify_definition(ctx, definition)?;
            Some((kind, deprecated_bit(deprecated)))
        }
        _ => None,
    }
}

fn deprecated_bit(deprecated: bool) -> u32 {
    if deprecated { modifiers::DEPRECATED } else { 0 }
}

/// The token kind of a definition and whether it is `@deprecated`.
fn classify_definition(ctx: &FileCtx<'_>, definition: Location) -> Option<(SemanticTokenKind, bool)> {
    use SemanticTokenKind as K;
    let token = lookup::token_at_location(ctx.host, definition)?;
    if token.parent()?.kind() == PACKAGE_NAME {
        return Some((K::Namespace, false));
    }
    let node = lookup::named_node(&token)?;
    let kind = match node.kind() {
        INTERFACE => K::Interface,
        WORLD => K::World,
        RECORD | VARIANT | FLAGS => K::Struct,
        ENUM => K::Enum,
        RESOURCE => K::Resource,
        TYPE_ALIAS | USE_NAME => K::Type,
        FUNC => K::Function,
        RESOURCE_METHOD => K::Method,
        PARAM => K::Parameter,
        RECORD_FIELD | VARIANT_CASE => K::Field,
        ENUM_CASE | FLAG => K::EnumMember,
        EXTERN_NAMED if node.children().any(|n| n.kind() == FUNC_TYPE) => K::Function,
        EXTERN_NAMED | TOPLEVEL_USE => K::Interface,
        INCLUDE_NAME => K::Type,
        _ => return None,
    };
    Some((kind, is_deprecated(&node)))
}

fn is_deprecated(node: &SyntaxNode) -> bool {
    let holder = match node.kind() {
        // Imports and exports carry attributes on the `import`/`export` node.
        EXTERN_NAMED => node.parent(),
        _ => Some(node.clone()),
    };
    holder.is_some_and(|n| {
        n.children().filter_map(ast::Attribute::cast).any(|a| a.kind() == Some(ast::AttributeKind::Deprecated))
    })
}
