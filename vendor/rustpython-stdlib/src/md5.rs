pub(crate) use _md5::module_def;

#[pymodule]
mod _md5 {
    use crate::hashlib::_hashlib::{HashArgs, local_md5};
    use crate::vm::{PyPayload, PyResult, VirtualMachine};

    #[pyfunction]
    fn md5(args: HashArgs, vm: &VirtualMachine) -> PyResult {
        Ok(local_md5(args, vm)?.into_pyobject(vm))
    }
}
