//! The kinds of every token and node in a WIT syntax tree.
//!
//! One flat enum covers both, as rowan wants: tokens first (trivia, punctuation, keywords,
//! literals), then the composite nodes the parser builds.

/// Every kind of token and node in a WIT syntax tree.
#[allow(non_camel_case_types, missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u16)]
pub enum SyntaxKind {
    // --- trivia
    WHITESPACE = 0,
    LINE_COMMENT,
    BLOCK_COMMENT,
    /// `/// …` documentation comment.
    DOC_COMMENT,
    /// `/** … */` documentation comment.
    DOC_BLOCK_COMMENT,

    // --- punctuation
    EQ,
    COMMA,
    COLON,
    DOT,
    SEMICOLON,
    L_PAREN,
    R_PAREN,
    L_BRACE,
    R_BRACE,
    L_ANGLE,
    R_ANGLE,
    STAR,
    AT,
    SLASH,
    PLUS,
    MINUS,
    ARROW,

    // --- literals and names
    IDENT,
    /// `%name`: an identifier that may spell a keyword.
    EXPLICIT_IDENT,
    INTEGER,
    STRING,
    /// Bytes the lexer could not make sense of.
    ERROR_TOKEN,

    // --- keywords
    USE_KW,
    TYPE_KW,
    FUNC_KW,
    U8_KW,
    U16_KW,
    U32_KW,
    U64_KW,
    S8_KW,
    S16_KW,
    S32_KW,
    S64_KW,
    F32_KW,
    F64_KW,
    CHAR_KW,
    BOOL_KW,
    STRING_KW,
    RECORD_KW,
    RESOURCE_KW,
    OWN_KW,
    BORROW_KW,
    FLAGS_KW,
    VARIANT_KW,
    ENUM_KW,
    OPTION_KW,
    RESULT_KW,
    FUTURE_KW,
    STREAM_KW,
    ERROR_CONTEXT_KW,
    LIST_KW,
    MAP_KW,
    UNDERSCORE,
    AS_KW,
    FROM_KW,
    STATIC_KW,
    INTERFACE_KW,
    TUPLE_KW,
    IMPORT_KW,
    EXPORT_KW,
    WORLD_KW,
    PACKAGE_KW,
    CONSTRUCTOR_KW,
    INCLUDE_KW,
    WITH_KW,
    ASYNC_KW,

    EOF,

    // --- nodes
    SOURCE_FILE,
    /// `package a:b@1.0.0;` at the top of a file.
    PACKAGE_DECL,
    /// `package a:b { … }`.
    NESTED_PACKAGE,
    /// `a:b/c@1.0.0` in a package declaration.
    PACKAGE_NAME,
    /// `@1.2.3-pre+build`.
    VERSION,
    TOPLEVEL_USE,
    INTERFACE,
    WORLD,
    /// `{ … }` of an interface, inline interface or world.
    ITEM_LIST,
    /// A gate or annotation: `@since(version = 1.0.0)`, `@unstable(feature = x)`, `@deprecated(…)`,
    /// `@external-id("…")`.
    ATTRIBUTE,
    /// `key = value` inside an attribute.
    ATTRIBUTE_ARG,
    /// A path naming an interface or world: `foo`, `a:b/foo@1.0.0`.
    USE_PATH,
    /// `use path.{a, b as c};` inside an interface or world.
    USE,
    USE_NAME_LIST,
    USE_NAME,
    /// `as name`.
    RENAME,
    TYPE_ALIAS,
    RECORD,
    RECORD_FIELD,
    VARIANT,
    VARIANT_CASE,
    ENUM,
    ENUM_CASE,
    FLAGS,
    FLAG,
    RESOURCE,
    RESOURCE_BODY,
    CONSTRUCTOR,
    /// `name: func(…)` / `name: static func(…)` inside a resource.
    RESOURCE_METHOD,
    /// `name: func(…);` in an interface.
    FUNC,
    /// `async? func (…) -> T`.
    FUNC_TYPE,
    PARAM_LIST,
    PARAM,
    RESULT_TYPE_CLAUSE,
    IMPORT,
    EXPORT,
    /// `name: func(…)` / `name: interface {…}` / `name: path` after import/export.
    EXTERN_NAMED,
    /// `path;` after import/export.
    EXTERN_PATH,
    /// `interface { … }` inline in a world.
    INLINE_INTERFACE,
    INCLUDE,
    INCLUDE_WITH,
    INCLUDE_NAME,
    /// A name being defined.
    NAME,
    /// A name being referred to.
    NAME_REF,

    // type expressions
    PRIMITIVE_TYPE,
    NAMED_TYPE,
    LIST_TYPE,
    MAP_TYPE,
    OPTION_TYPE,
    RESULT_TYPE,
    TUPLE_TYPE,
    OWN_TYPE,
    BORROW_TYPE,
    FUTURE_TYPE,
    STREAM_TYPE,
    /// `_` in `result<_, e>`.
    EMPTY_TYPE,
    /// Tokens the parser skipped while recovering.
    ERROR,

    #[doc(hidden)]
    __LAST,
}

use SyntaxKind::*;

impl SyntaxKind {
    /// Whitespace and comments: kept in the tree, skipped by the grammar.
    pub fn is_trivia(self) -> bool {
        matches!(self, WHITESPACE | LINE_COMMENT | BLOCK_COMMENT | DOC_COMMENT | DOC_BLOCK_COMMENT)
    }

    /// Whether this is a reserved word.
    pub fn is_keyword(self) -> bool {
        (USE_KW as u16..=ASYNC_KW as u16).contains(&(self as u16))
    }

    /// Whether this kind is a node rather than a token.
    pub fn is_node(self) -> bool {
        self as u16 >= SOURCE_FILE as u16
    }

    /// The keyword spelled `text`, if any.
    pub fn from_keyword(text: &str) -> Option<SyntaxKind> {
        Some(match text {
            "use" => USE_KW,
            "type" => TYPE_KW,
            "func" => FUNC_KW,
            "u8" => U8_KW,
            "u16" => U16_KW,
            "u32" => U32_KW,
            "u64" => U64_KW,
            "s8" => S8_KW,
            "s16" => S16_KW,
            "s32" => S32_KW,
            "s64" => S64_KW,
            "f32" => F32_KW,
            "f64" => F64_KW,
            "char" => CHAR_KW,
            "bool" => BOOL_KW,
            "string" => STRING_KW,
            "record" => RECORD_KW,
            "resource" => RESOURCE_KW,
            "own" => OWN_KW,
            "borrow" => BORROW_KW,
            "flags" => FLAGS_KW,
            "variant" => VARIANT_KW,
            "enum" => ENUM_KW,
            "option" => OPTION_KW,
            "result" => RESULT_KW,
            "future" => FUTURE_KW,
            "stream" => STREAM_KW,
            "error-context" => ERROR_CONTEXT_KW,
            "list" => LIST_KW,
            "map" => MAP_KW,
            "_" => UNDERSCORE,
            "as" => AS_KW,
            "from" => FROM_KW,
            "static" => STATIC_KW,
            "interface" => INTERFACE_KW,
            "tuple" => TUPLE_KW,
            "import" => IMPORT_KW,
            "export" => EXPORT_KW,
            "world" => WORLD_KW,
            "package" => PACKAGE_KW,
            "constructor" => CONSTRUCTOR_KW,
            "include" => INCLUDE_KW,
            "with" => WITH_KW,
            "async" => ASYNC_KW,
            _ => return None,
        })
    }

    /// Whether this keyword names a primitive type.
    pub fn is_primitive_type(self) -> bool {
        matches!(
            self,
            U8_KW
                | U16_KW
                | U32_KW
                | U64_KW
                | S8_KW
                | S16_KW
                | S32_KW
                | S64_KW
                | F32_KW
                | F64_KW
                | CHAR_KW
                | BOOL_KW
                | STRING_KW
                | ERROR_CONTEXT_KW
        )
    }

    /// How a user would describe this token in an "expected …, found …" message.
    pub fn describe(self) -> String {
        let fixed = match self {
            WHITESPACE => "whitespace",
            LINE_COMMENT | BLOCK_COMMENT | DOC_COMMENT | DOC_BLOCK_COMMENT => "a comment",
            EQ => "'='",
            COMMA => "','",
            COLON => "':'",
            DOT => "'.'",
            SEMICOLON => "';'",
            L_PAREN => "'('",
            R_PAREN => "')'",
            L_BRACE => "'{'",
            R_BRACE => "'}'",
            L_ANGLE => "'<'",
            R_ANGLE => "'>'",
            STAR => "'*'",
            AT => "'@'",
            SLASH => "'/'",
            PLUS => "'+'",
            MINUS => "'-'",
            ARROW => "'->'",
            IDENT | EXPLICIT_IDENT => "an identifier",
            INTEGER => "an integer",
            STRING => "a string",
            ERROR_TOKEN => "an invalid token",
            EOF => "end of file",
            kw if kw.is_keyword() => return format!("keyword `{}`", kw.keyword_text().unwrap_or("?")),
            _ => "a syntax node",
        };
        fixed.to_string()
    }

    /// The spelling of a keyword kind.
    pub fn keyword_text(self) -> Option<&'static str> {
        Some(match self {
            USE_KW => "use",
            TYPE_KW => "type",
            FUNC_KW => "func",
            U8_KW => "u8",
            U16_KW => "u16",
            U32_KW => "u32",
            U64_KW => "u64",
            S8_KW => "s8",
            S16_KW => "s16",
            S32_KW => "s32",
            S64_KW => "s64",
            F32_KW => "f32",
            F64_KW => "f64",
            CHAR_KW => "char",
            BOOL_KW => "bool",
            STRING_KW => "string",
            RECORD_KW => "record",
            RESOURCE_KW => "resource",
            OWN_KW => "own",
            BORROW_KW => "borrow",
            FLAGS_KW => "flags",
            VARIANT_KW => "variant",
            ENUM_KW => "enum",
            OPTION_KW => "option",
            RESULT_KW => "result",
            FUTURE_KW => "future",
            STREAM_KW => "stream",
            ERROR_CONTEXT_KW => "error-context",
            LIST_KW => "list",
            MAP_KW => "map",
            UNDERSCORE => "_",
            AS_KW => "as",
            FROM_KW => "from",
            STATIC_KW => "static",
            INTERFACE_KW => "interface",
            TUPLE_KW => "tuple",
            IMPORT_KW => "import",
            EXPORT_KW => "export",
            WORLD_KW => "world",
            PACKAGE_KW => "package",
            CONSTRUCTOR_KW => "constructor",
            INCLUDE_KW => "include",
            WITH_KW => "with",
            ASYNC_KW => "async",
            _ => return None,
        })
    }
}

impl From<SyntaxKind> for rowan::SyntaxKind {
    fn from(kind: SyntaxKind) -> Self {
        rowan::SyntaxKind(kind as u16)
    }
}

/// The rowan language tag for WIT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WitLanguage {}

impl rowan::Language for WitLanguage {
    type Kind = SyntaxKind;

    fn kind_from_raw(raw: rowan::SyntaxKind) -> SyntaxKind {
        assert!(raw.0 < __LAST as u16, "syntax kind out of range");
        // SAFETY: `SyntaxKind` is `repr(u16)` and every value below `__LAST` is a variant.
        unsafe { std::mem::transmute::<u16, SyntaxKind>(raw.0) }
    }

    fn kind_to_raw(kind: SyntaxKind) -> rowan::SyntaxKind {
        kind.into()
    }
}

/// A node of a WIT syntax tree.
pub type SyntaxNode = rowan::SyntaxNode<WitLanguage>;
/// A token of a WIT syntax tree.
pub type SyntaxToken = rowan::SyntaxToken<WitLanguage>;
/// A node or a token.
pub type SyntaxElement = rowan::SyntaxElement<WitLanguage>;
