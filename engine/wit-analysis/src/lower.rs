//! Lowering: from a file's syntax tree to its [`FileItems`].

use canopy_wit_syntax::ast::{self, AstNode, AttributeKind, TypeKind};
use canopy_wit_syntax::{SyntaxKind, TextRange};

use crate::db::{SourceFile, basis_parse};
use crate::hir::*;

/// The items a file declares, lowered from its basis parse (so positions are basis positions;
/// see [`crate::positions`]).
#[salsa::tracked(returns(ref))]
pub fn file_items(db: &dyn salsa::Database, file: SourceFile) -> FileItems {
    lower_parse(&basis_parse(db, file).0)
}

/// Lowers one parse to the items it declares.
pub(crate) fn lower_parse(parse: &canopy_wit_syntax::Parse) -> FileItems {
    let mut lowerer = Lowerer { errors: Vec::new() };
    lowerer.file(&parse.tree())
}

struct Lowerer {
    errors: Vec<(TextRange, String)>,
}

impl Lowerer {
    fn error(&mut self, range: TextRange, message: impl Into<String>) {
        self.errors.push((range, message.into()));
    }

    fn file(&mut self, tree: &ast::SourceFile) -> FileItems {
        let mut items = FileItems::default();
        let mut top = PackageBody::default();
        let mut seen_item = false;
        for item in tree.items() {
            match item {
                ast::PackageItem::PackageDecl(decl) => {
                    // A header after the first item is a syntax error the parser reported.
                    let lowered = self.package_decl(decl.package_name(), decl.syntax());
                    if !seen_item
                        && items.package_decl.is_none()
                        && let Some(lowered) = lowered
                    {
                        items.package_decl = Some(lowered);
                    }
                    seen_item = true;
                }
                ast::PackageItem::NestedPackage(nested) => {
                    seen_item = true;
                    let Some(decl) = self.package_decl(nested.package_name(), nested.syntax()) else { continue };
                    let mut body = PackageBody { nested: Some(decl), ..Default::default() };
                    for inner in nested.items() {
                        self.body_item(inner, &mut body);
                    }
                    items.bodies.push(body);
                }
                other => {
                    seen_item = true;
                    self.body_item(other, &mut top);
                }
            }
        }
        items.bodies.insert(0, top);
        items.errors = std::mem::take(&mut self.errors);
        items
    }

    fn package_decl(
        &mut self,
        name: Option<ast::PackageName>,
        node: &canopy_wit_syntax::SyntaxNode,
    ) -> Option<PackageDecl> {
        let name = name?;
        let namespace = name.namespace()?;
        let pkg = name.name()?;
        let version = match name.version() {
            Some(v) => Some(v.parse()?),
            None => None,
        };
        Some(PackageDecl {
            name: PackageName {
                namespace: ast::ident_text(&namespace).to_string(),
                name: ast::ident_text(&pkg).to_string(),
                version,
            },
            range: name.range_without_trivia(),
            docs: ast::docs(node),
            docs_range: node
                .children_with_tokens()
                .filter_map(|e| e.into_token())
                .find(|t| matches!(t.kind(), SyntaxKind::DOC_COMMENT | SyntaxKind::DOC_BLOCK_COMMENT))
                .map(|t| t.text_range()),
        })
    }

    fn body_item(&mut self, item: ast::PackageItem, body: &mut PackageBody) {
        match item {
            ast::PackageItem::ToplevelUse(u) => {
                let Some(path) = u.path().and_then(|p| self.path(&p)) else { return };
                let meta = self.meta(u.syntax(), u.attributes());
                if !meta.gates.all.is_empty() {
                    let keyword = u
                        .syntax()
                        .children_with_tokens()
                        .filter_map(|e| e.into_token())
                        .find(|t| t.kind() == SyntaxKind::USE_KW)
                        .map_or(meta.range, |t| t.text_range());
                    self.error(keyword, "attributes not allowed on top-level use");
                }
                body.uses.push(ToplevelUse { path, alias: u.rename().map(|n| self.name(&n)), meta });
            }
            ast::PackageItem::Interface(i) => {
                let Some(name) = i.name() else { return };
                let meta = self.meta(i.syntax(), i.attributes());
                self.reject_external_id(&meta, "interface declarations");
                let items = self.interface_items(i.items());
                body.interfaces.push(InterfaceDef { name: self.name(&name), items, meta });
            }
            ast::PackageItem::World(w) => {
                let Some(name) = w.name() else { return };
                let meta = self.meta(w.syntax(), w.attributes());
                self.reject_external_id(&meta, "world declarations");
                let items = w.items().into_iter().filter_map(|i| self.world_item(i)).collect();
                body.worlds.push(WorldDef { name: self.name(&name), items, meta });
            }
            ast::PackageItem::PackageDecl(decl) => {
                let range = decl.package_name().map_or(decl.range(), |n| n.range());
                self.error(range, "a `package` header is not allowed inside a package block");
            }
            ast::PackageItem::NestedPackage(n) => {
                // The parser already reported the nesting; lower nothing from it.
                let _ = n;
            }
        }
    }

    fn name(&self, name: &ast::Name) -> Name {
        Name { text: name.text(), range: name.ident_range() }
    }

    fn name_ref(&self, name: &ast::NameRef) -> Name {
        Name { text: name.text(), range: name.ident_range() }
    }

    fn path(&mut self, path: &ast::UsePath) -> Option<PathRef> {
        let name = self.name_ref(&path.name_ref()?);
        let package = match path.package() {
            Some(pkg) => {
                let namespace = pkg.namespace()?;
                let pkg_name = pkg.name()?;
                let version = match path.version() {
                    Some(v) => Some(v.parse()?),
                    None => None,
                };
                Some(PackageName {
                    namespace: ast::ident_text(&namespace).to_string(),
                    name: ast::ident_text(&pkg_name).to_string(),
                    version,
                })
            }
            None => None,
        };
        let range = trimmed_range(path.syntax());
        Some(PathRef { package, name, range })
    }

    fn meta(
        &mut self,
        node: &canopy_wit_syntax::SyntaxNode,
        attributes: impl Iterator<Item = ast::Attribute>,
    ) -> ItemMeta {
        let mut gates = Gates::default();
        for attr in attributes {
            let Some(kind) = attr.kind() else { continue };
            let range = trimmed_range(attr.syntax());
            // Only complete attributes take part in combination checks; a broken one already
            // has its syntax error.
            let has_close = attr.syntax().children_with_tokens().any(|e| e.kind() == SyntaxKind::R_PAREN);
            let has_argument = match kind {
                AttributeKind::Since | AttributeKind::Deprecated => attr.version().is_some(),
                AttributeKind::Unstable => attr.feature().is_some(),
                AttributeKind::ExternalId => attr.string().is_some(),
            };
            let complete = has_close && has_argument;
            if complete {
                gates.all.push((kind, attr.name_range()));
            }
            match kind {
                AttributeKind::Since => {
                    if let Some(v) = attr.version().and_then(|v| v.parse()) {
                        gates.since = Some((v, range));
                    }
                }
                AttributeKind::Deprecated => {
                    if let Some(v) = attr.version().and_then(|v| v.parse()) {
                        gates.deprecated = Some((v, range));
                    }
                }
                AttributeKind::Unstable => {
                    if let Some(f) = attr.feature() {
                        gates.unstable = Some((ast::ident_text(&f).to_string(), range));
                    }
                }
                AttributeKind::ExternalId => {
                    if let Some(s) = attr.string() {
                        let text = s.text();
                        let inner = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text);
                        gates.external_id = Some((inner.to_string(), range));
                    }
                }
            }
        }
        self.check_attribute_combinations(&gates);
        ItemMeta { docs: ast::docs(node), gates, range: trimmed_range(node) }
    }

    /// Reports an `@external-id` on an item that has no place to keep it (wit-parser 0.263
    /// rejects it there rather than drop it silently).
    fn reject_external_id(&mut self, meta: &ItemMeta, what: &str) {
        if let Some(&(_, at)) = meta.gates.all.iter().find(|(kind, _)| *kind == AttributeKind::ExternalId) {
            self.error(at, format!("@external-id is not allowed on {what}"));
        }
    }

    /// Reports attributes that repeat or do not go together (each at the attribute's name).
    fn check_attribute_combinations(&mut self, gates: &Gates) {
        let mut seen: Vec<AttributeKind> = Vec::new();
        for &(kind, range) in &gates.all {
            if seen.contains(&kind) {
                let name = match kind {
                    AttributeKind::Since => "since",
                    AttributeKind::Unstable => "unstable",
                    AttributeKind::Deprecated => "deprecated",
                    AttributeKind::ExternalId => "external-id",
                };
                self.error(range, format!("cannot specify @{name} twice"));
            }
            seen.push(kind);
        }
        let find = |wanted: AttributeKind| gates.all.iter().find(|(k, _)| *k == wanted).map(|(_, r)| *r);
        let (since, unstable, deprecated) =
            (find(AttributeKind::Since), find(AttributeKind::Unstable), find(AttributeKind::Deprecated));
        if let (Some(since), Some(_)) = (since, unstable) {
            self.error(since, "cannot specify both @since and @unstable");
        }
        if let (Some(deprecated), None, None) = (deprecated, since, unstable) {
            self.error(deprecated, "@deprecated needs @since or @unstable on the same item");
        }
    }

    fn interface_items(&mut self, items: Vec<ast::InterfaceItem>) -> Vec<InterfaceItem> {
        items
            .into_iter()
            .filter_map(|item| match item {
                ast::InterfaceItem::Use(u) => self.use_def(&u).map(InterfaceItem::Use),
                ast::InterfaceItem::TypeDef(t) => self.typedef(&t).map(InterfaceItem::Type),
                ast::InterfaceItem::Func(f) => {
                    let name = self.name(&f.name()?);
                    let sig = self.func_sig(&f.func_type()?);
                    let meta = self.meta(f.syntax(), f.attributes());
                    Some(InterfaceItem::Func(FuncDef { name, sig, meta }))
                }
            })
            .collect()
    }

    fn use_def(&mut self, u: &ast::Use) -> Option<UseDef> {
        let path = self.path(&u.path()?)?;
        let names = u
            .names()
            .into_iter()
            .filter_map(|n| Some((self.name_ref(&n.name_ref()?), n.rename().map(|r| self.name(&r)))))
            .collect();
        let meta = self.meta(u.syntax(), u.attributes());
        Some(UseDef { path, names, meta })
    }

    fn world_item(&mut self, item: ast::WorldItem) -> Option<WorldItem> {
        Some(match item {
            ast::WorldItem::Use(u) => WorldItem::Use(self.use_def(&u)?),
            ast::WorldItem::TypeDef(t) => WorldItem::Type(self.typedef(&t)?),
            ast::WorldItem::Import(i) => {
                let kind = self.extern_kind(i.extern_()?)?;
                WorldItem::Import(ExternDef { kind, meta: self.meta(i.syntax(), i.attributes()) })
            }
            ast::WorldItem::Export(e) => {
                let kind = self.extern_kind(e.extern_()?)?;
                WorldItem::Export(ExternDef { kind, meta: self.meta(e.syntax(), e.attributes()) })
            }
            ast::WorldItem::Include(inc) => {
                let path = self.path(&inc.path()?)?;
                let with = inc
                    .names()
                    .into_iter()
                    .filter_map(|n| Some((self.name_ref(&n.name_ref()?), self.name(&n.rename()?))))
                    .collect();
                let meta = self.meta(inc.syntax(), inc.attributes());
                self.reject_external_id(&meta, "include statements");
                WorldItem::Include(IncludeDef { path, with, meta })
            }
        })
    }

    fn extern_kind(&mut self, ext: ast::Extern) -> Option<ExternKind> {
        Some(match ext {
            ast::Extern::Path(p) => ExternKind::Path(self.path(&p.path()?)?),
            ast::Extern::Named(named) => {
                let name = self.name(&named.name()?);
                match named.kind()? {
                    ast::ExternNamedKind::Func(f) => ExternKind::Func(name, self.func_sig(&f)),
                    ast::ExternNamedKind::Interface(i) => ExternKind::Interface(name, self.interface_items(i.items())),
                    ast::ExternNamedKind::Path(p) => ExternKind::NamedPath(name, self.path(&p)?),
                }
            }
        })
    }

    fn typedef(&mut self, t: &ast::TypeDef) -> Option<TypeDef> {
        let name = self.name(&t.name()?);
        let meta = self.meta(t.syntax(), t.attributes());
        let keyword_range = t
            .syntax()
            .children_with_tokens()
            .filter_map(|e| e.into_token())
            .find(|tok| tok.kind().is_keyword())
            .map_or(meta.range, |tok| tok.text_range());
        let kind = match t {
            ast::TypeDef::Alias(a) => TypeDefKind::Alias(self.ty_opt(a.ty(), t.syntax())),
            ast::TypeDef::Record(r) => TypeDefKind::Record(
                r.fields()
                    .filter_map(|f| {
                        let attributes = f.attributes().map(|a| trimmed_range(a.syntax())).collect();
                        Some(Field {
                            name: self.name(&f.name()?),
                            ty: Some(self.ty_opt(f.ty(), f.syntax())),
                            docs: ast::docs(f.syntax()),
                            attributes,
                        })
                    })
                    .collect(),
            ),
            ast::TypeDef::Variant(v) => {
                TypeDefKind::Variant(v.cases().filter_map(|c| self.member(c.syntax(), c.name(), c.ty())).collect())
            }
            ast::TypeDef::Enum(e) => {
                TypeDefKind::Enum(e.cases().filter_map(|c| self.member(c.syntax(), c.name(), None)).collect())
            }
            ast::TypeDef::Flags(f) => {
                TypeDefKind::Flags(f.flags().filter_map(|c| self.member(c.syntax(), c.name(), None)).collect())
            }
            ast::TypeDef::Resource(r) => TypeDefKind::Resource(
                r.items()
                    .into_iter()
                    .filter_map(|item| match item {
                        ast::ResourceItem::Constructor(c) => {
                            let keyword = c.keyword()?;
                            let params = c
                                .params()
                                .into_iter()
                                .filter_map(|p| Some((self.name(&p.name()?), self.ty_opt(p.ty(), p.syntax()))))
                                .collect();
                            let result = c.result().map(|ty| self.ty(&ty));
                            Some(ResourceFunc {
                                kind: ResourceFuncKind::Constructor,
                                name: Name { text: "constructor".to_string(), range: keyword.text_range() },
                                sig: FuncSig { is_async: false, params, result },
                                meta: self.meta(c.syntax(), c.attributes()),
                            })
                        }
                        ast::ResourceItem::Method(m) => {
                            let kind = if m.is_static() { ResourceFuncKind::Static } else { ResourceFuncKind::Method };
                            Some(ResourceFunc {
                                kind,
                                name: self.name(&m.name()?),
                                sig: self.func_sig(&m.func_type()?),
                                meta: self.meta(m.syntax(), m.attributes()),
                            })
                        }
                    })
                    .collect(),
            ),
        };
        Some(TypeDef { name, kind, meta, keyword_range })
    }

    /// A variant case, enum case or flag: a name, an optional payload type, docs.
    fn member(
        &mut self,
        node: &canopy_wit_syntax::SyntaxNode,
        name: Option<ast::Name>,
        ty: Option<ast::Type>,
    ) -> Option<Field> {
        Some(Field {
            name: self.name(&name?),
            ty: ty.map(|ty| self.ty(&ty)),
            docs: ast::docs(node),
            attributes: attribute_ranges(node),
        })
    }

    fn func_sig(&mut self, f: &ast::FuncType) -> FuncSig {
        let params = f
            .params()
            .into_iter()
            .filter_map(|p| Some((self.name(&p.name()?), self.ty_opt(p.ty(), p.syntax()))))
            .collect();
        let result = f.result().map(|ty| self.ty(&ty));
        FuncSig { is_async: f.is_async(), params, result }
    }

    fn ty_opt(&mut self, ty: Option<ast::Type>, parent: &canopy_wit_syntax::SyntaxNode) -> TypeExpr {
        match ty {
            Some(ty) => self.ty(&ty),
            None => TypeExpr { kind: TypeExprKind::Error, range: trimmed_range(parent) },
        }
    }

    fn boxed(&mut self, ty: Option<ast::Type>, parent: &ast::Type) -> Box<TypeExpr> {
        Box::new(self.ty_opt(ty, parent.syntax()))
    }

    fn ty(&mut self, ty: &ast::Type) -> TypeExpr {
        let range = ty.range();
        let error = || TypeExpr { kind: TypeExprKind::Error, range };
        let kind = match ty.kind() {
            TypeKind::Primitive(kind) => TypeExprKind::Primitive(match kind {
                SyntaxKind::BOOL_KW => Primitive::Bool,
                SyntaxKind::U8_KW => Primitive::U8,
                SyntaxKind::U16_KW => Primitive::U16,
                SyntaxKind::U32_KW => Primitive::U32,
                SyntaxKind::U64_KW => Primitive::U64,
                SyntaxKind::S8_KW => Primitive::S8,
                SyntaxKind::S16_KW => Primitive::S16,
                SyntaxKind::S32_KW => Primitive::S32,
                SyntaxKind::S64_KW => Primitive::S64,
                SyntaxKind::F32_KW => Primitive::F32,
                SyntaxKind::F64_KW => Primitive::F64,
                SyntaxKind::CHAR_KW => Primitive::Char,
                SyntaxKind::STRING_KW => Primitive::String,
                SyntaxKind::ERROR_CONTEXT_KW => Primitive::ErrorContext,
                _ => return error(),
            }),
            TypeKind::Named(Some(name)) => TypeExprKind::Named(self.name_ref(&name)),
            TypeKind::Named(None) => return error(),
            TypeKind::List(elem, size) => {
                let size = match size {
                    None => None,
                    Some(Some(n)) => Some(n),
                    Some(None) => return error(),
                };
                TypeExprKind::List(self.boxed(elem, ty), size)
            }
            TypeKind::Map(k, v) => TypeExprKind::Map(self.boxed(k, ty), self.boxed(v, ty)),
            TypeKind::Option(t) => TypeExprKind::Option(self.boxed(t, ty)),
            TypeKind::Result { ok, err } => {
                TypeExprKind::Result(ok.map(|t| Box::new(self.ty(&t))), err.map(|t| Box::new(self.ty(&t))))
            }
            TypeKind::Tuple(types) => TypeExprKind::Tuple(types.iter().map(|t| self.ty(t)).collect()),
            TypeKind::Own(Some(name)) => TypeExprKind::Own(self.name_ref(&name)),
            TypeKind::Borrow(Some(name)) => TypeExprKind::Borrow(self.name_ref(&name)),
            TypeKind::Own(None) | TypeKind::Borrow(None) => return error(),
            TypeKind::Future(t) => TypeExprKind::Future(t.map(|t| Box::new(self.ty(&t)))),
            TypeKind::Stream(t) => TypeExprKind::Stream(t.map(|t| Box::new(self.ty(&t)))),
        };
        TypeExpr { kind, range }
    }
}

fn attribute_ranges(node: &canopy_wit_syntax::SyntaxNode) -> Vec<TextRange> {
    node.children().filter(|n| n.kind() == SyntaxKind::ATTRIBUTE).map(|n| trimmed_range(&n)).collect()
}

/// The range of a node without leading and trailing trivia.
pub(crate) fn trimmed_range(node: &canopy_wit_syntax::SyntaxNode) -> TextRange {
    canopy_wit_syntax::trimmed_range(node)
}

trait RangeWithoutTrivia {
    fn range_without_trivia(&self) -> TextRange;
}

impl RangeWithoutTrivia for ast::PackageName {
    fn range_without_trivia(&self) -> TextRange {
        trimmed_range(self.syntax())
    }
}
