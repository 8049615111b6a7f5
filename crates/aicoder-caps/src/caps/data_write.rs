//! Interface `data-write`, capability `data.write`: write or delete files in
//! the plugin's own project data folder `.aicoder/<plugin>/` (see `data.rs`
//! for how the folder is found and opened), atomically, audited with the old
//! content.

use super::data::{host_error, relative, READ_MAX};
use super::{Access, CapCtx, HostFn};
use crate::bindings::aicoder::plugin::data::Area;
use crate::bindings::aicoder::plugin::types::HostError;
use serde_json::json;

impl crate::bindings::aicoder::plugin::data_write::Host for CapCtx {
    fn write_file(&mut self, path: String, content: String) -> Result<(), HostError> {
        let args = json!({ "path": path, "bytes": content.len() });
        self.gate_fn(HostFn::DataWriteFile, args, || {
            let root = self
                .data_root(Area::Project, true)?
                .ok_or_else(|| HostError::Failed("the data folder could not be created".into()))?;
            let rel = relative(&root, &path)?;
            let old = root
                .read_bounded(&rel, READ_MAX)
                .ok()
                .map(|b| String::from_utf8_lossy(&b).into_owned());
            root.write_atomic(&rel, content.as_bytes())
                .map_err(host_error)?;
            let file = root.path().join(&rel).display().to_string();
            Ok(Access::write(
                (),
                json!({ "path": path, "file": file, "content": old }),
                json!({ "path": path, "file": file, "content": content }),
            ))
        })
    }

    fn delete_file(&mut self, path: String) -> Result<(), HostError> {
        self.gate_fn(
            HostFn::DataDeleteFile,
            json!({ "path": path }),
            || {
                let root = self
                    .data_root(Area::Project, false)?
                    .ok_or_else(|| HostError::NotFound(path.clone()))?;
                let rel = relative(&root, &path)?;
                let old = root
                    .read_bounded(&rel, READ_MAX)
                    .ok()
                    .map(|b| String::from_utf8_lossy(&b).into_owned());
                root.remove_file(&rel).map_err(host_error)?;
                let file = root.path().join(&rel).display().to_string();
                Ok(Access::write(
                    (),
                    json!({ "path": path, "file": file, "content": old }),
                    json!({ "path": path, "file": file, "content": null }),
                ))
            },
        )
    }
}

