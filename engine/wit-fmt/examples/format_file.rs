//! Prints the formatted form of a WIT file: `cargo run -p canopy-wit-fmt --example format_file -- FILE`.

use canopy_wit_fmt::{FormatOptions, format};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: format_file FILE")?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
    print!("{}", format(&text, &FormatOptions::default()).map_err(|e| format!("{path}: {e}"))?);
    Ok(())
}
