//! Hover: the definition rendered as WIT, where it lives, its doc comment, and canonical-ABI
//! facts (size, alignment, flattening; core signatures of functions).

use canopy_wit_analysis::AnalysisHost;
use canopy_wit_analysis::resolve::{Location, Resolved, Type, TypeDefKind};
use canopy_wit_syntax::SyntaxKind::*;
use canopy_wit_syntax::{SyntaxNode, TextRange, TextSize, ast};

use crate::abi;
use crate::lookup::{self, Def, DefIndex, FileCtx, ReferenceMap};
use crate::render;

/// What to show when the pointer rests on a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// The range of the name hovered.
    pub range: TextRange,
    /// Markdown: the definition in a `wit` code block, where it lives, its docs, ABI facts.
    pub markdown: String,
}

/// The parts of a hover, joined with rules between them.
#[derive(Default)]
struct Sections {
    code: String,
    location: Option<String>,
    docs: Option<String>,
    abi: Option<String>,
}

impl Sections {
    fn markdown(self) -> String {
        let mut head = format!("```wit\n{}\n```", self.code);
        if let Some(location) = self.location {
            head.push_str(&format!("\n{location}"));
        }
        let mut parts = vec![head];
        parts.extend(self.docs);
        parts.extend(self.abi);
        parts.join("\n\n---\n\n")
    }
}

/// Hover information for the name at `offset`.
pub fn hover(host: &AnalysisHost, path: &str, offset: TextSize) -> Option<Hover> {
    let ctx = FileCtx::new(host, path)?;
    let refs = ReferenceMap::new(ctx.resolved());
    let name = lookup::name_at(&ctx, &refs, offset)?;
    let definition = lookup::definition_of(host, &refs, name.declaration);
    let resolved = ctx.resolved();
    let index = DefIndex::new(resolved);
    let mut sections = match index.get(definition) {
        Some(def) => definition_sections(resolved, &index, def)?,
        None => member_sections(host, resolved, &index, definition)?,
    };
    if sections.docs.is_none() {
        // Not every definition carries its docs in the arenas; read them from the syntax.
        sections.docs = lookup::token_at_location(host, definition).and_then(|t| lookup::docs_of(&t));
    }
    Some(Hover { range: name.token.text_range(), markdown: sections.markdown() })
}

fn definition_sections(resolved: &Resolved, index: &DefIndex<'_>, def: Def) -> Option<Sections> {
    Some(match def {
        Def::Package(id) => {
            let package = resolved.package(id);
            Sections { code: format!("package {}", package.name), docs: package.docs.clone(), ..Default::default() }
        }
        Def::Interface(id) => {
            let interface = resolved.interface(id);
            let code = match &interface.name {
                Some(name) => format!("interface {name}"),
                None => "interface { … }".to_string(),
            };
            Sections {
                code,
                location: Some(format!("`{}`", render::interface_path(resolved, id))),
                docs: interface.docs.clone(),
                ..Default::default()
            }
        }
        Def::World(id) => {
            let world = resolved.world(id);
            Sections {
                code: format!("world {}", world.name),
                location: Some(format!("`{}/{}`", resolved.package(world.package).name, world.name)),
                docs: world.docs.clone(),
                abi: Some(format!("{} imports, {} exports", world.imports.len(), world.exports.len())),
            }
        }
        Def::Type(id) => {
            let def = resolved.type_def(id);
            Sections {
                code: render::type_def_text(resolved, id),
                location: Some(format!("in `{}`", render::owner_path(resolved, def.owner))),
                docs: def.docs.clone(),
                abi: abi::facts_line(abi::val_type_of_def(resolved, id)),
            }
        }
        Def::Function(i) => {
            let function = index.function(i);
            Sections {
                code: render::function_text(resolved, function),
                location: None,
                docs: function.docs.clone(),
                abi: abi::function_facts(resolved, function),
            }
        }
    })
}

/// Hover for names the resolved arenas do not index by location: fields, cases, flags and
/// parameters.
fn member_sections(
    host: &AnalysisHost,
    resolved: &Resolved,
    index: &DefIndex<'_>,
    definition: Location,
) -> Option<Sections> {
    let token = lookup::token_at_location(host, definition)?;
    let node = lookup::named_node(&token)?;
    let name = ast::ident_text(&token).to_string();
    let docs = lookup::docs_of(&token);
    let owner_def = |owner: &SyntaxNode| {
        let range = lookup::name_ident_range(owner)?;
        index.get(Location { file: definition.file, range })
    };
    match node.kind() {
        RECORD_FIELD | VARIANT_CASE | ENUM_CASE | FLAG => {
            let parent = node.parent()?;
            let Some(Def::Type(id)) = owner_def(&parent) else { return None };
            let def = resolved.type_def(id);
            let owner = format!("{} `{}`", parent_keyword(parent.kind()), def.name);
            let (code, abi) = match &def.kind {
                TypeDefKind::Record(fields) => {
                    let position = fields.iter().position(|(n, _)| *n == name)?;
                    let ty = &fields[position].1;
                    let all: Result<Vec<_>, _> = fields.iter().map(|(_, t)| abi::val_type(resolved, t)).collect();
                    let abi = match all {
                        Ok(all) => Some(format!(
                            "{}; offset {}",
                            abi::type_facts(&all[position]),
                            abi::field_offset(&all, position)
                        )),
                        Err(why) => abi::facts_line(Err(why)),
                    };
                    (format!("{name}: {}", render::type_text(resolved, ty)), abi)
                }
                TypeDefKind::Variant(cases) => {
                    let (_, ty) = cases.iter().find(|(n, _)| *n == name)?;
                    let code = match ty {
                        Some(ty) => format!("{name}({})", render::type_text(resolved, ty)),
                        None => name.clone(),
                    };
                    (code, ty.as_ref().and_then(|t| abi::facts_line(abi::val_type(resolved, t))))
                }
                _ => (name.clone(), None),
            };
            Some(Sections { code, location: Some(format!("in {owner}")), docs, abi })
        }
        PARAM => {
            let function_node =
                node.ancestors().find(|n| matches!(n.kind(), FUNC | RESOURCE_METHOD | EXTERN_NAMED | CONSTRUCTOR))?;
            let function_range = match function_node.kind() {
                CONSTRUCTOR => function_node
                    .children_with_tokens()
                    .filter_map(|e| e.into_token())
                    .find(|t| t.kind() == CONSTRUCTOR_KW)?
                    .text_range(),
                _ => lookup::name_ident_range(&function_node)?,
            };
            let Some(Def::Function(i)) = index.get(Location { file: definition.file, range: function_range }) else {
                return None;
            };
            let function = index.function(i);
            let (_, ty): &(String, Type) = function.params.iter().find(|(n, _)| *n == name)?;
            Some(Sections {
                code: format!("{name}: {}", render::type_text(resolved, ty)),
                location: Some(format!("parameter of `{}`", function.short_name)),
                docs: None,
                abi: abi::facts_line(abi::val_type(resolved, ty)),
            })
        }
        _ => None,
    }
}

fn parent_keyword(kind: canopy_wit_syntax::SyntaxKind) -> &'static str {
    match kind {
        RECORD => "record",
        VARIANT => "variant",
        ENUM => "enum",
        _ => "flags",
    }
}
