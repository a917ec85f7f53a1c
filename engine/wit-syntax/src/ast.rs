//! Typed views over the untyped syntax tree.
//!
//! Each wrapper holds a `SyntaxNode` of one kind and offers accessors that return `None` when
//! the part is missing (the tree may be incomplete, since parsing never fails).

use crate::SyntaxKind::{self, *};
use crate::{SyntaxNode, SyntaxToken, TextRange};

/// A typed node: built from a syntax node of the right kind.
pub trait AstNode: Sized {
    /// Wraps `node` if it has this type's kind.
    fn cast(node: SyntaxNode) -> Option<Self>;
    /// The underlying syntax node.
    fn syntax(&self) -> &SyntaxNode;
    /// The node's range, trivia inside it included.
    fn range(&self) -> TextRange {
        self.syntax().text_range()
    }
}

macro_rules! ast_node {
    ($($(#[$doc:meta])* $name:ident = $kind:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name {
            pub(crate) syntax: SyntaxNode,
        }
        impl AstNode for $name {
            fn cast(node: SyntaxNode) -> Option<Self> {
                (node.kind() == $kind).then_some($name { syntax: node })
            }
            fn syntax(&self) -> &SyntaxNode {
                &self.syntax
            }
        }
    )*};
}

ast_node! {
    /// A whole file.
    SourceFile = SOURCE_FILE;
    /// `package a:b@1.0.0;`
    PackageDecl = PACKAGE_DECL;
    /// `package a:b { … }`
    NestedPackage = NESTED_PACKAGE;
    /// `a:b@1.0.0`
    PackageName = PACKAGE_NAME;
    /// `@1.0.0`, or the version in `@since(version = 1.0.0)`.
    Version = VERSION;
    /// `use a:b/c as d;` at file level.
    ToplevelUse = TOPLEVEL_USE;
    /// `interface name { … }`
    Interface = INTERFACE;
    /// `world name { … }`
    World = WORLD;
    /// `{ … }` holding interface or world items.
    ItemList = ITEM_LIST;
    /// `@since(…)` and friends.
    Attribute = ATTRIBUTE;
    /// `key = value` inside an attribute.
    AttributeArg = ATTRIBUTE_ARG;
    /// `name` or `ns:pkg/name@1.0.0`.
    UsePath = USE_PATH;
    /// `use path.{…};`
    Use = USE;
    /// One name in a `use` list.
    UseName = USE_NAME;
    /// `as name`
    Rename = RENAME;
    /// `type a = b;`
    TypeAlias = TYPE_ALIAS;
    /// `record r { … }`
    Record = RECORD;
    /// `name: type` in a record.
    RecordField = RECORD_FIELD;
    /// `variant v { … }`
    Variant = VARIANT;
    /// `name(type)?` in a variant.
    VariantCase = VARIANT_CASE;
    /// `enum e { … }`
    Enum = ENUM;
    /// One case of an enum.
    EnumCase = ENUM_CASE;
    /// `flags f { … }`
    Flags = FLAGS;
    /// One flag.
    Flag = FLAG;
    /// `resource r;` or `resource r { … }`
    Resource = RESOURCE;
    /// `constructor(…);`
    Constructor = CONSTRUCTOR;
    /// `name: static? func(…);` in a resource.
    ResourceMethod = RESOURCE_METHOD;
    /// `name: func(…);` in an interface.
    Func = FUNC;
    /// `async? func(…) -> t`
    FuncType = FUNC_TYPE;
    /// `name: type` in a parameter list.
    Param = PARAM;
    /// `import …`
    Import = IMPORT;
    /// `export …`
    Export = EXPORT;
    /// `name: …` after import/export.
    ExternNamed = EXTERN_NAMED;
    /// `path;` after import/export.
    ExternPath = EXTERN_PATH;
    /// `interface { … }` inside a world.
    InlineInterface = INLINE_INTERFACE;
    /// `include path (with { … })?`
    Include = INCLUDE;
    /// `a as b` in an include's `with`.
    IncludeName = INCLUDE_NAME;
    /// A defined name.
    Name = NAME;
    /// A referenced name.
    NameRef = NAME_REF;
}

fn child<N: AstNode>(node: &SyntaxNode) -> Option<N> {
    node.children().find_map(N::cast)
}

fn children<N: AstNode>(node: &SyntaxNode) -> impl Iterator<Item = N> + use<N> {
    node.children().filter_map(N::cast)
}

fn token(node: &SyntaxNode, kind: SyntaxKind) -> Option<SyntaxToken> {
    node.children_with_tokens().filter_map(|e| e.into_token()).find(|t| t.kind() == kind)
}

fn ident_tokens(node: &SyntaxNode) -> impl Iterator<Item = SyntaxToken> + use<> {
    node.children_with_tokens().filter_map(|e| e.into_token()).filter(|t| matches!(t.kind(), IDENT | EXPLICIT_IDENT))
}

/// The text of an identifier token without its `%` escape.
pub fn ident_text(token: &SyntaxToken) -> &str {
    let text = token.text();
    text.strip_prefix('%').unwrap_or(text)
}

/// The doc comments at the start of `node` (before its first significant token), with the
/// comment markers stripped, one entry per line.
///
/// Attributes come before the keyword and docs may sit before or between them. The parser hangs
/// the trivia before an attribute inside the attribute's node, so docs written before
/// `@since(…)` are the leading trivia of an `ATTRIBUTE` child: they are read from there.
pub fn doc_lines(node: &SyntaxNode) -> Vec<String> {
    let mut lines = Vec::new();
    for element in node.children_with_tokens() {
        match element {
            rowan::NodeOrToken::Node(child) if child.kind() == ATTRIBUTE => {
                for token in child.children_with_tokens().map_while(rowan::NodeOrToken::into_token) {
                    if !push_doc_line(&mut lines, &token) {
                        break;
                    }
                }
            }
            rowan::NodeOrToken::Node(_) => break,
            rowan::NodeOrToken::Token(token) => {
                if !push_doc_line(&mut lines, &token) {
                    break;
                }
            }
        }
    }
    lines
}

/// Adds the lines of a doc comment token to `lines`; skips other trivia. Returns `false` at a
/// significant token, where docs end.
fn push_doc_line(lines: &mut Vec<String>, token: &SyntaxToken) -> bool {
    match token.kind() {
        DOC_COMMENT => {
            let text = token.text().trim_start_matches("///");
            lines.push(text.strip_prefix(' ').unwrap_or(text).trim_end().to_string());
        }
        DOC_BLOCK_COMMENT => {
            let text = token.text();
            let inner = &text[3..text.len().saturating_sub(2).max(3)];
            for line in inner.lines() {
                let line = line.trim();
                let line = line.strip_prefix("* ").or_else(|| line.strip_prefix('*')).unwrap_or(line);
                lines.push(line.to_string());
            }
            while lines.last().is_some_and(|l| l.is_empty()) {
                lines.pop();
            }
            while lines.first().is_some_and(|l| l.is_empty()) {
                lines.remove(0);
            }
        }
        kind if kind.is_trivia() => {}
        _ => return false,
    }
    true
}

/// Doc comments of an item, joined with newlines; `None` when there are none.
pub fn docs(node: &SyntaxNode) -> Option<String> {
    let lines = doc_lines(node);
    (!lines.is_empty()).then(|| lines.join("\n"))
}

impl Name {
    /// The identifier token.
    pub fn ident(&self) -> Option<SyntaxToken> {
        ident_tokens(&self.syntax).next()
    }
    /// The name without `%`.
    pub fn text(&self) -> String {
        self.ident().map(|t| ident_text(&t).to_string()).unwrap_or_default()
    }
    /// The range of the identifier itself.
    pub fn ident_range(&self) -> TextRange {
        self.ident().map_or_else(|| self.range(), |t| t.text_range())
    }
}

impl NameRef {
    /// The identifier token.
    pub fn ident(&self) -> Option<SyntaxToken> {
        ident_tokens(&self.syntax).next()
    }
    /// The name without `%`.
    pub fn text(&self) -> String {
        self.ident().map(|t| ident_text(&t).to_string()).unwrap_or_default()
    }
    /// The range of the identifier itself.
    pub fn ident_range(&self) -> TextRange {
        self.ident().map_or_else(|| self.range(), |t| t.text_range())
    }
}

/// A top-level item of a file or of a nested package.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PackageItem {
    /// `package a:b;`
    PackageDecl(PackageDecl),
    /// `package a:b { … }`
    NestedPackage(NestedPackage),
    /// `use … ;`
    ToplevelUse(ToplevelUse),
    /// `interface …`
    Interface(Interface),
    /// `world …`
    World(World),
}

impl PackageItem {
    fn cast(node: SyntaxNode) -> Option<Self> {
        Some(match node.kind() {
            PACKAGE_DECL => PackageItem::PackageDecl(PackageDecl { syntax: node }),
            NESTED_PACKAGE => PackageItem::NestedPackage(NestedPackage { syntax: node }),
            TOPLEVEL_USE => PackageItem::ToplevelUse(ToplevelUse { syntax: node }),
            INTERFACE => PackageItem::Interface(Interface { syntax: node }),
            WORLD => PackageItem::World(World { syntax: node }),
            _ => return None,
        })
    }
}

impl SourceFile {
    /// The file's items, nested package blocks included (not their contents).
    pub fn items(&self) -> impl Iterator<Item = PackageItem> + use<> {
        self.syntax.children().filter_map(PackageItem::cast)
    }
}

impl NestedPackage {
    /// `a:b@1.0.0`
    pub fn package_name(&self) -> Option<PackageName> {
        child(&self.syntax)
    }
    /// The block's items.
    pub fn items(&self) -> impl Iterator<Item = PackageItem> + use<> {
        self.syntax.children().filter_map(PackageItem::cast)
    }
    /// Attributes written before `package`.
    pub fn attributes(&self) -> impl Iterator<Item = Attribute> + use<> {
        children(&self.syntax)
    }
}

impl PackageDecl {
    /// `a:b@1.0.0`
    pub fn package_name(&self) -> Option<PackageName> {
        child(&self.syntax)
    }
    /// Attributes written before `package`.
    pub fn attributes(&self) -> impl Iterator<Item = Attribute> + use<> {
        children(&self.syntax)
    }
}

impl PackageName {
    /// The namespace (before `:`).
    pub fn namespace(&self) -> Option<SyntaxToken> {
        ident_tokens(&self.syntax).next()
    }
    /// The package name (after `:`).
    pub fn name(&self) -> Option<SyntaxToken> {
        ident_tokens(&self.syntax).nth(1)
    }
    /// `@version`, if written.
    pub fn version(&self) -> Option<Version> {
        child(&self.syntax)
    }
}

impl Version {
    /// The version text, without `@` and trivia.
    pub fn text(&self) -> String {
        self.syntax
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
            .filter(|t| t.kind() != AT && !t.kind().is_trivia())
            .map(|t| t.text().to_string())
            .collect()
    }
    /// Range of the version text (without `@`).
    pub fn text_range(&self) -> TextRange {
        let mut tokens = self
            .syntax
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
            .filter(|t| t.kind() != AT && !t.kind().is_trivia());
        match tokens.next() {
            Some(first) => {
                let last = tokens.last().unwrap_or_else(|| first.clone());
                TextRange::new(first.text_range().start(), last.text_range().end())
            }
            None => self.range(),
        }
    }
    /// The parsed version, if valid.
    pub fn parse(&self) -> Option<semver::Version> {
        semver::Version::parse(&self.text()).ok()
    }
}

impl ToplevelUse {
    /// The interface path.
    pub fn path(&self) -> Option<UsePath> {
        child(&self.syntax)
    }
    /// `as name`
    pub fn rename(&self) -> Option<Name> {
        child::<Rename>(&self.syntax).and_then(|r| r.name())
    }
    /// Attributes written before `use`.
    pub fn attributes(&self) -> impl Iterator<Item = Attribute> + use<> {
        children(&self.syntax)
    }
}

impl Rename {
    /// The new name.
    pub fn name(&self) -> Option<Name> {
        child(&self.syntax)
    }
}

impl UsePath {
    /// `ns:pkg` when the path is qualified.
    pub fn package(&self) -> Option<PackageName> {
        child(&self.syntax)
    }
    /// The interface or world name (the last segment).
    pub fn name_ref(&self) -> Option<NameRef> {
        child(&self.syntax)
    }
    /// `@version` of a qualified path.
    pub fn version(&self) -> Option<Version> {
        child(&self.syntax)
    }
}

/// The kind of an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttributeKind {
    /// `@since(version = …)`
    Since,
    /// `@unstable(feature = …)`
    Unstable,
    /// `@deprecated(version = …)`
    Deprecated,
    /// `@external-id("…")`
    ExternalId,
}

impl Attribute {
    /// Which attribute this is; `None` for unknown names.
    pub fn kind(&self) -> Option<AttributeKind> {
        let name = ident_tokens(&self.syntax).next()?;
        Some(match name.text() {
            "since" => AttributeKind::Since,
            "unstable" => AttributeKind::Unstable,
            "deprecated" => AttributeKind::Deprecated,
            "external-id" => AttributeKind::ExternalId,
            _ => return None,
        })
    }
    /// The range of the attribute's name (after `@`).
    pub fn name_range(&self) -> TextRange {
        ident_tokens(&self.syntax).next().map_or_else(|| self.range(), |t| t.text_range())
    }
    /// `key = value` arguments.
    pub fn args(&self) -> impl Iterator<Item = AttributeArg> + use<> {
        children(&self.syntax)
    }
    /// The version argument (`version = …`).
    pub fn version(&self) -> Option<Version> {
        self.args().find(|a| a.key().as_deref() == Some("version")).and_then(|a| a.version())
    }
    /// The feature argument (`feature = …`).
    pub fn feature(&self) -> Option<SyntaxToken> {
        self.args().find(|a| a.key().as_deref() == Some("feature")).and_then(|a| a.value_ident())
    }
    /// The string of `@external-id("…")`, quotes included.
    pub fn string(&self) -> Option<SyntaxToken> {
        token(&self.syntax, STRING)
    }
}

impl AttributeArg {
    /// `version` or `feature`.
    pub fn key(&self) -> Option<String> {
        ident_tokens(&self.syntax).next().map(|t| t.text().to_string())
    }
    /// The version value.
    pub fn version(&self) -> Option<Version> {
        child(&self.syntax)
    }
    /// The identifier value.
    pub fn value_ident(&self) -> Option<SyntaxToken> {
        ident_tokens(&self.syntax).nth(1)
    }
}

impl Interface {
    /// The interface's name.
    pub fn name(&self) -> Option<Name> {
        child(&self.syntax)
    }
    /// Gates and annotations.
    pub fn attributes(&self) -> impl Iterator<Item = Attribute> + use<> {
        children(&self.syntax)
    }
    /// The items in its body.
    pub fn items(&self) -> Vec<InterfaceItem> {
        child::<ItemList>(&self.syntax).map(|l| l.interface_items()).unwrap_or_default()
    }
}

impl InlineInterface {
    /// The items in its body.
    pub fn items(&self) -> Vec<InterfaceItem> {
        child::<ItemList>(&self.syntax).map(|l| l.interface_items()).unwrap_or_default()
    }
}

/// An item of an interface body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum InterfaceItem {
    /// `use …`
    Use(Use),
    /// A type definition.
    TypeDef(TypeDef),
    /// A function.
    Func(Func),
}

/// A named type definition.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeDef {
    /// `type a = b;`
    Alias(TypeAlias),
    /// `record`
    Record(Record),
    /// `variant`
    Variant(Variant),
    /// `enum`
    Enum(Enum),
    /// `flags`
    Flags(Flags),
    /// `resource`
    Resource(Resource),
}

impl TypeDef {
    fn cast(node: SyntaxNode) -> Option<Self> {
        Some(match node.kind() {
            TYPE_ALIAS => TypeDef::Alias(TypeAlias { syntax: node }),
            RECORD => TypeDef::Record(Record { syntax: node }),
            VARIANT => TypeDef::Variant(Variant { syntax: node }),
            ENUM => TypeDef::Enum(Enum { syntax: node }),
            FLAGS => TypeDef::Flags(Flags { syntax: node }),
            RESOURCE => TypeDef::Resource(Resource { syntax: node }),
            _ => return None,
        })
    }
    /// The underlying node.
    pub fn syntax(&self) -> &SyntaxNode {
        match self {
            TypeDef::Alias(n) => &n.syntax,
            TypeDef::Record(n) => &n.syntax,
            TypeDef::Variant(n) => &n.syntax,
            TypeDef::Enum(n) => &n.syntax,
            TypeDef::Flags(n) => &n.syntax,
            TypeDef::Resource(n) => &n.syntax,
        }
    }
    /// The defined name.
    pub fn name(&self) -> Option<Name> {
        child(self.syntax())
    }
    /// Gates and annotations.
    pub fn attributes(&self) -> impl Iterator<Item = Attribute> + use<> {
        children(self.syntax())
    }
}

impl ItemList {
    /// The items of an interface body.
    pub fn interface_items(&self) -> Vec<InterfaceItem> {
        self.syntax
            .children()
            .filter_map(|node| match node.kind() {
                USE => Some(InterfaceItem::Use(Use { syntax: node })),
                FUNC => Some(InterfaceItem::Func(Func { syntax: node })),
                _ => TypeDef::cast(node).map(InterfaceItem::TypeDef),
            })
            .collect()
    }
    /// The items of a world body.
    pub fn world_items(&self) -> Vec<WorldItem> {
        self.syntax
            .children()
            .filter_map(|node| match node.kind() {
                USE => Some(WorldItem::Use(Use { syntax: node })),
                IMPORT => Some(WorldItem::Import(Import { syntax: node })),
                EXPORT => Some(WorldItem::Export(Export { syntax: node })),
                INCLUDE => Some(WorldItem::Include(Include { syntax: node })),
                _ => TypeDef::cast(node).map(WorldItem::TypeDef),
            })
            .collect()
    }
}

/// An item of a world body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum WorldItem {
    /// `use …`
    Use(Use),
    /// `import …`
    Import(Import),
    /// `export …`
    Export(Export),
    /// `include …`
    Include(Include),
    /// A type definition.
    TypeDef(TypeDef),
}

impl World {
    /// The world's name.
    pub fn name(&self) -> Option<Name> {
        child(&self.syntax)
    }
    /// Gates and annotations.
    pub fn attributes(&self) -> impl Iterator<Item = Attribute> + use<> {
        children(&self.syntax)
    }
    /// The items in its body.
    pub fn items(&self) -> Vec<WorldItem> {
        child::<ItemList>(&self.syntax).map(|l| l.world_items()).unwrap_or_default()
    }
}

impl Use {
    /// The interface the names come from.
    pub fn path(&self) -> Option<UsePath> {
        child(&self.syntax)
    }
    /// The imported names.
    pub fn names(&self) -> Vec<UseName> {
        self.syntax.children().filter(|n| n.kind() == USE_NAME_LIST).flat_map(|l| children(&l)).collect()
    }
    /// Gates and annotations.
    pub fn attributes(&self) -> impl Iterator<Item = Attribute> + use<> {
        children(&self.syntax)
    }
}

impl UseName {
    /// The name in the other interface.
    pub fn name_ref(&self) -> Option<NameRef> {
        child(&self.syntax)
    }
    /// `as name`.
    pub fn rename(&self) -> Option<Name> {
        child::<Rename>(&self.syntax).and_then(|r| r.name())
    }
}

impl TypeAlias {
    /// The aliased type.
    pub fn ty(&self) -> Option<Type> {
        self.syntax.children().find_map(Type::cast)
    }
}

impl Record {
    /// The fields.
    pub fn fields(&self) -> impl Iterator<Item = RecordField> + use<> {
        children(&self.syntax)
    }
}

impl RecordField {
    /// Field name.
    pub fn name(&self) -> Option<Name> {
        child(&self.syntax)
    }
    /// Field type.
    pub fn ty(&self) -> Option<Type> {
        self.syntax.children().find_map(Type::cast)
    }
    /// Attributes written before the field (not allowed by WIT; kept for diagnostics).
    pub fn attributes(&self) -> impl Iterator<Item = Attribute> + use<> {
        children(&self.syntax)
    }
}

impl Variant {
    /// The cases.
    pub fn cases(&self) -> impl Iterator<Item = VariantCase> + use<> {
        children(&self.syntax)
    }
}

impl VariantCase {
    /// Case name.
    pub fn name(&self) -> Option<Name> {
        child(&self.syntax)
    }
    /// Payload type.
    pub fn ty(&self) -> Option<Type> {
        self.syntax.children().find_map(Type::cast)
    }
}

impl Enum {
    /// The cases.
    pub fn cases(&self) -> impl Iterator<Item = EnumCase> + use<> {
        children(&self.syntax)
    }
}

impl EnumCase {
    /// Case name.
    pub fn name(&self) -> Option<Name> {
        child(&self.syntax)
    }
}

impl Flags {
    /// The flags.
    pub fn flags(&self) -> impl Iterator<Item = Flag> + use<> {
        children(&self.syntax)
    }
}

impl Flag {
    /// Flag name.
    pub fn name(&self) -> Option<Name> {
        child(&self.syntax)
    }
}

/// An item of a resource body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ResourceItem {
    /// `constructor(…)`
    Constructor(Constructor),
    /// `name: static? func(…)`
    Method(ResourceMethod),
}

impl Resource {
    /// The items in its body (empty for `resource r;`).
    pub fn items(&self) -> Vec<ResourceItem> {
        self.syntax
            .children()
            .filter(|n| n.kind() == RESOURCE_BODY)
            .flat_map(|body| body.children())
            .filter_map(|node| match node.kind() {
                CONSTRUCTOR => Some(ResourceItem::Constructor(Constructor { syntax: node })),
                RESOURCE_METHOD => Some(ResourceItem::Method(ResourceMethod { syntax: node })),
                _ => None,
            })
            .collect()
    }
}

impl Constructor {
    /// Parameters.
    pub fn params(&self) -> Vec<Param> {
        self.syntax.children().filter(|n| n.kind() == PARAM_LIST).flat_map(|l| children(&l)).collect()
    }
    /// `-> type`, if written.
    pub fn result(&self) -> Option<Type> {
        self.syntax.children().find(|n| n.kind() == RESULT_TYPE_CLAUSE).and_then(|c| c.children().find_map(Type::cast))
    }
    /// The `constructor` keyword.
    pub fn keyword(&self) -> Option<SyntaxToken> {
        token(&self.syntax, CONSTRUCTOR_KW)
    }
    /// Gates and annotations.
    pub fn attributes(&self) -> impl Iterator<Item = Attribute> + use<> {
        children(&self.syntax)
    }
}

impl ResourceMethod {
    /// Method name.
    pub fn name(&self) -> Option<Name> {
        child(&self.syntax)
    }
    /// Whether declared `static`.
    pub fn is_static(&self) -> bool {
        token(&self.syntax, STATIC_KW).is_some()
    }
    /// The signature.
    pub fn func_type(&self) -> Option<FuncType> {
        child(&self.syntax)
    }
    /// Gates and annotations.
    pub fn attributes(&self) -> impl Iterator<Item = Attribute> + use<> {
        children(&self.syntax)
    }
}

impl Func {
    /// Function name.
    pub fn name(&self) -> Option<Name> {
        child(&self.syntax)
    }
    /// The signature.
    pub fn func_type(&self) -> Option<FuncType> {
        child(&self.syntax)
    }
    /// Gates and annotations.
    pub fn attributes(&self) -> impl Iterator<Item = Attribute> + use<> {
        children(&self.syntax)
    }
}

impl FuncType {
    /// Whether `async`.
    pub fn is_async(&self) -> bool {
        token(&self.syntax, ASYNC_KW).is_some()
    }
    /// Parameters.
    pub fn params(&self) -> Vec<Param> {
        self.syntax.children().filter(|n| n.kind() == PARAM_LIST).flat_map(|l| children(&l)).collect()
    }
    /// `-> type`, if written.
    pub fn result(&self) -> Option<Type> {
        self.syntax.children().find(|n| n.kind() == RESULT_TYPE_CLAUSE).and_then(|c| c.children().find_map(Type::cast))
    }
}

impl Param {
    /// Parameter name.
    pub fn name(&self) -> Option<Name> {
        child(&self.syntax)
    }
    /// Parameter type.
    pub fn ty(&self) -> Option<Type> {
        self.syntax.children().find_map(Type::cast)
    }
}

/// What an import or export brings in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Extern {
    /// `name: …`
    Named(ExternNamed),
    /// `path;`
    Path(ExternPath),
}

fn extern_of(node: &SyntaxNode) -> Option<Extern> {
    node.children().find_map(|n| match n.kind() {
        EXTERN_NAMED => Some(Extern::Named(ExternNamed { syntax: n })),
        EXTERN_PATH => Some(Extern::Path(ExternPath { syntax: n })),
        _ => None,
    })
}

impl Import {
    /// What is imported.
    pub fn extern_(&self) -> Option<Extern> {
        extern_of(&self.syntax)
    }
    /// Gates and annotations.
    pub fn attributes(&self) -> impl Iterator<Item = Attribute> + use<> {
        children(&self.syntax)
    }
}

impl Export {
    /// What is exported.
    pub fn extern_(&self) -> Option<Extern> {
        extern_of(&self.syntax)
    }
    /// Gates and annotations.
    pub fn attributes(&self) -> impl Iterator<Item = Attribute> + use<> {
        children(&self.syntax)
    }
}

/// The right-hand side of `name: …` in an import or export.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ExternNamedKind {
    /// `func(…)`
    Func(FuncType),
    /// `interface { … }`
    Interface(InlineInterface),
    /// `path`
    Path(UsePath),
}

impl ExternNamed {
    /// The import/export name.
    pub fn name(&self) -> Option<Name> {
        child(&self.syntax)
    }
    /// What the name is bound to.
    pub fn kind(&self) -> Option<ExternNamedKind> {
        self.syntax.children().find_map(|n| match n.kind() {
            FUNC_TYPE => Some(ExternNamedKind::Func(FuncType { syntax: n })),
            INLINE_INTERFACE => Some(ExternNamedKind::Interface(InlineInterface { syntax: n })),
            USE_PATH => Some(ExternNamedKind::Path(UsePath { syntax: n })),
            _ => None,
        })
    }
}

impl ExternPath {
    /// The interface path.
    pub fn path(&self) -> Option<UsePath> {
        child(&self.syntax)
    }
}

impl Include {
    /// The included world.
    pub fn path(&self) -> Option<UsePath> {
        child(&self.syntax)
    }
    /// `with { a as b }` renamings.
    pub fn names(&self) -> Vec<IncludeName> {
        self.syntax.children().filter(|n| n.kind() == INCLUDE_WITH).flat_map(|w| children(&w)).collect()
    }
    /// Gates and annotations.
    pub fn attributes(&self) -> impl Iterator<Item = Attribute> + use<> {
        children(&self.syntax)
    }
}

impl IncludeName {
    /// The name in the included world.
    pub fn name_ref(&self) -> Option<NameRef> {
        child(&self.syntax)
    }
    /// The new name.
    pub fn rename(&self) -> Option<Name> {
        child::<Rename>(&self.syntax).and_then(|r| r.name())
    }
}

/// A type expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Type {
    syntax: SyntaxNode,
}

/// What shape a type expression has.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// A primitive keyword (its kind: `U8_KW`, `STRING_KW`, `ERROR_CONTEXT_KW`, …).
    Primitive(SyntaxKind),
    /// A name referring to a type definition.
    Named(Option<NameRef>),
    /// `list<T>` or `list<T, N>` (`Some(N)`, `None` for an unparsable length).
    List(Option<Type>, Option<Option<u32>>),
    /// `map<K, V>`
    Map(Option<Type>, Option<Type>),
    /// `option<T>`
    Option(Option<Type>),
    /// `result`, `result<T>`, `result<_, E>`, `result<T, E>`.
    Result {
        /// The ok type.
        ok: Option<Type>,
        /// The error type.
        err: Option<Type>,
    },
    /// `tuple<…>`
    Tuple(Vec<Type>),
    /// `own<R>`
    Own(Option<NameRef>),
    /// `borrow<R>`
    Borrow(Option<NameRef>),
    /// `future` / `future<T>`
    Future(Option<Type>),
    /// `stream` / `stream<T>`
    Stream(Option<Type>),
}

impl Type {
    /// Wraps a type-expression node.
    pub fn cast(node: SyntaxNode) -> Option<Type> {
        matches!(
            node.kind(),
            PRIMITIVE_TYPE
                | NAMED_TYPE
                | LIST_TYPE
                | MAP_TYPE
                | OPTION_TYPE
                | RESULT_TYPE
                | TUPLE_TYPE
                | OWN_TYPE
                | BORROW_TYPE
                | FUTURE_TYPE
                | STREAM_TYPE
        )
        .then_some(Type { syntax: node })
    }

    /// The underlying node.
    pub fn syntax(&self) -> &SyntaxNode {
        &self.syntax
    }

    /// The range of the type expression without surrounding trivia.
    pub fn range(&self) -> TextRange {
        crate::trimmed_range(&self.syntax)
    }

    fn sub_types(&self) -> Vec<Type> {
        self.syntax.children().filter_map(Type::cast).collect()
    }

    /// The shape of this type.
    pub fn kind(&self) -> TypeKind {
        let subs = self.sub_types();
        let first = subs.first().cloned();
        match self.syntax.kind() {
            PRIMITIVE_TYPE => TypeKind::Primitive(
                self.syntax
                    .children_with_tokens()
                    .filter_map(|e| e.into_token())
                    .find(|t| t.kind().is_primitive_type())
                    .map_or(ERROR, |t| t.kind()),
            ),
            NAMED_TYPE => TypeKind::Named(child(&self.syntax)),
            LIST_TYPE => {
                let size = token(&self.syntax, COMMA)
                    .map(|_| token(&self.syntax, INTEGER).and_then(|t| t.text().parse().ok()));
                TypeKind::List(first, size)
            }
            MAP_TYPE => TypeKind::Map(first, subs.get(1).cloned()),
            OPTION_TYPE => TypeKind::Option(first),
            RESULT_TYPE => {
                let has_empty = self.syntax.children().any(|n| n.kind() == EMPTY_TYPE);
                if has_empty {
                    TypeKind::Result { ok: None, err: first }
                } else {
                    TypeKind::Result { ok: first, err: subs.get(1).cloned() }
                }
            }
            TUPLE_TYPE => TypeKind::Tuple(subs),
            OWN_TYPE => TypeKind::Own(child(&self.syntax)),
            BORROW_TYPE => TypeKind::Borrow(child(&self.syntax)),
            FUTURE_TYPE => TypeKind::Future(first),
            STREAM_TYPE => TypeKind::Stream(first),
            _ => TypeKind::Tuple(Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The doc lines of the first node of `kind` in `text`.
    fn doc_lines_of(text: &str, kind: SyntaxKind) -> Vec<String> {
        let root = crate::parse(text).syntax();
        let node = root.descendants().find(|n| n.kind() == kind).expect("no such node");
        doc_lines(&node)
    }

    #[test]
    fn docs_before_between_and_after_attributes() {
        let plain = "package a:b;\ninterface i {\n  /// One.\n  record r { x: u32 }\n}\n";
        assert_eq!(doc_lines_of(plain, RECORD), ["One."]);
        // The parser puts the comment before `@since` inside the attribute's node.
        let gated = "package a:b@1.0.0;\ninterface i {\n  /// One.\n  /// Two.\n  @since(version = 1.0.0)\n  record r { x: u32 }\n}\n";
        assert_eq!(doc_lines_of(gated, RECORD), ["One.", "Two."]);
        let between = "package a:b@1.0.0;\ninterface i {\n  /// One.\n  @since(version = 1.0.0)\n  /// Two.\n  @deprecated(version = 1.0.0)\n  /** Three. */\n  record r { x: u32 }\n}\n";
        assert_eq!(doc_lines_of(between, RECORD), ["One.", "Two.", "Three."]);
        let none =
            "package a:b@1.0.0;\ninterface i {\n  // Not a doc.\n  @since(version = 1.0.0)\n  record r { x: u32 }\n}\n";
        assert_eq!(doc_lines_of(none, RECORD), Vec::<String>::new());
    }
}
