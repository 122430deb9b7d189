//! TWAIN's C interface as Rust sees it: the manager's entry point, the few Win32
//! calls the session needs, the triplet constants and the 2-byte packed structures.

use std::ffi::c_void;

pub(super) type Handle = *mut c_void;
pub(super) type Entry =
    unsafe extern "system" fn(*mut Identity, *mut Identity, u32, u16, u16, *mut c_void) -> u16;

#[allow(dead_code)] // Win32's MSG layout.
#[repr(C)]
pub(super) struct Msg {
    pub(super) hwnd: Handle,
    pub(super) message: u32,
    pub(super) wparam: usize,
    pub(super) lparam: isize,
    pub(super) time: u32,
    pub(super) pt: [i32; 2],
    pub(super) private: u32,
}

#[link(name = "kernel32")]
unsafe extern "system" {
    pub(super) fn LoadLibraryW(name: *const u16) -> Handle;
    pub(super) fn GetProcAddress(
        module: Handle,
        name: *const u8,
    ) -> Option<unsafe extern "system" fn() -> isize>;
    pub(super) fn GlobalAlloc(flags: u32, bytes: usize) -> Handle;
    pub(super) fn GlobalLock(mem: Handle) -> *mut c_void;
    pub(super) fn GlobalUnlock(mem: Handle) -> i32;
    pub(super) fn GlobalFree(mem: Handle) -> Handle;
    pub(super) fn GlobalSize(mem: Handle) -> usize;
}

#[link(name = "user32")]
unsafe extern "system" {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn CreateWindowExW(
        ex_style: u32,
        class: *const u16,
        name: *const u16,
        style: u32,
        x: i32,
        y: i32,
        width: i32,
        height: i32,
        parent: Handle,
        menu: Handle,
        instance: Handle,
        param: *const c_void,
    ) -> Handle;
    pub(super) fn DestroyWindow(hwnd: Handle) -> i32;
    pub(super) fn PeekMessageW(msg: *mut Msg, hwnd: Handle, min: u32, max: u32, remove: u32)
    -> i32;
    pub(super) fn TranslateMessage(msg: *const Msg) -> i32;
    pub(super) fn DispatchMessageW(msg: *const Msg) -> isize;
    pub(super) fn MsgWaitForMultipleObjects(
        n: u32,
        handles: *const Handle,
        all: i32,
        ms: u32,
        mask: u32,
    ) -> u32;
}

pub(super) const DG_CONTROL: u32 = 1;
pub(super) const DG_IMAGE: u32 = 2;
pub(super) const DAT_CAPABILITY: u16 = 1;
pub(super) const DAT_EVENT: u16 = 2;
pub(super) const DAT_IDENTITY: u16 = 3;
pub(super) const DAT_PARENT: u16 = 4;
pub(super) const DAT_PENDINGXFERS: u16 = 5;
pub(super) const DAT_SETUPMEMXFER: u16 = 6;
pub(super) const DAT_STATUS: u16 = 8;
pub(super) const DAT_USERINTERFACE: u16 = 9;
pub(super) const DAT_IMAGEINFO: u16 = 0x0101;
pub(super) const DAT_IMAGEMEMXFER: u16 = 0x0103;
pub(super) const DAT_IMAGENATIVEXFER: u16 = 0x0104;
pub(super) const MSG_GET: u16 = 1;
pub(super) const MSG_GETCURRENT: u16 = 2;
pub(super) const MSG_GETFIRST: u16 = 4;
pub(super) const MSG_GETNEXT: u16 = 5;
pub(super) const MSG_SET: u16 = 6;
pub(super) const MSG_RESET: u16 = 7;
pub(super) const MSG_XFERREADY: u16 = 0x0101;
pub(super) const MSG_CLOSEDSREQ: u16 = 0x0102;
pub(super) const MSG_OPENDSM: u16 = 0x0301;
pub(super) const MSG_CLOSEDSM: u16 = 0x0302;
pub(super) const MSG_OPENDS: u16 = 0x0401;
pub(super) const MSG_CLOSEDS: u16 = 0x0402;
pub(super) const MSG_DISABLEDS: u16 = 0x0501;
pub(super) const MSG_ENABLEDS: u16 = 0x0502;
pub(super) const MSG_PROCESSEVENT: u16 = 0x0601;
pub(super) const MSG_ENDXFER: u16 = 0x0701;
pub(super) const TWRC_SUCCESS: u16 = 0;
pub(super) const TWRC_CHECKSTATUS: u16 = 2;
pub(super) const TWRC_CANCEL: u16 = 3;
pub(super) const TWRC_DSEVENT: u16 = 4;
pub(super) const TWRC_XFERDONE: u16 = 6;
pub(super) const TWON_ONEVALUE: u16 = 5;
pub(super) const TWON_DONTCARE16: u16 = 0xffff;
pub(super) const TWTY_INT16: u16 = 1;
pub(super) const TWTY_UINT16: u16 = 4;
pub(super) const TWTY_BOOL: u16 = 6;
pub(super) const TWTY_FIX32: u16 = 7;
pub(super) const CAP_XFERCOUNT: u16 = 0x0001;
pub(super) const ICAP_PIXELTYPE: u16 = 0x0101;
pub(super) const ICAP_XFERMECH: u16 = 0x0103;
pub(super) const CAP_FEEDERENABLED: u16 = 0x1002;
pub(super) const CAP_FEEDERLOADED: u16 = 0x1003;
pub(super) const ICAP_XRESOLUTION: u16 = 0x1118;
pub(super) const ICAP_YRESOLUTION: u16 = 0x1119;
pub(super) const TWSX_NATIVE: u16 = 0;
pub(super) const TWSX_MEMORY: u16 = 2;
pub(super) const TWMF_APPOWNS: u32 = 0x1;
pub(super) const TWMF_POINTER: u32 = 0x8;
pub(super) const GHND: u32 = 0x42;
pub(super) const HWND_MESSAGE: isize = -3;
pub(super) const PM_REMOVE: u32 = 1;
pub(super) const QS_ALLINPUT: u32 = 0x04ff;

#[allow(dead_code)] // TWAIN's layout: some fields only the other side reads.
#[repr(C, packed(2))]
#[derive(Clone, Copy)]
pub(super) struct Identity {
    pub(super) id: u32,
    pub(super) version: [u16; 4],
    pub(super) info: [u8; 34],
    pub(super) protocol: [u16; 2],
    pub(super) groups: u32,
    pub(super) manufacturer: [u8; 34],
    pub(super) family: [u8; 34],
    pub(super) product: [u8; 34],
}

impl Identity {
    pub(super) fn zeroed() -> Identity {
        Identity {
            id: 0,
            version: [0; 4],
            info: [0; 34],
            protocol: [0; 2],
            groups: 0,
            manufacturer: [0; 34],
            family: [0; 34],
            product: [0; 34],
        }
    }

    pub(super) fn ours() -> Identity {
        let mut id = Identity::zeroed();
        // 0.1, TWLG_USA, TWCY_USA: no source text is shown (ShowUI is off).
        id.version = [0, 1, 13, 1];
        id.protocol = [1, 9];
        id.groups = DG_CONTROL | DG_IMAGE;
        let name = str32("motcua");
        (id.manufacturer, id.family, id.product) = (name, name, name);
        id
    }

    pub(super) fn product_name(&self) -> String {
        let product = self.product;
        let len = product
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(product.len());
        String::from_utf8_lossy(&product[..len]).into_owned()
    }
}

pub(super) fn str32(s: &str) -> [u8; 34] {
    let mut out = [0u8; 34];
    for (d, b) in out.iter_mut().zip(s.bytes().take(33)) {
        *d = b;
    }
    out
}

#[allow(dead_code)] // TWAIN's layout: some fields only the other side reads.
#[repr(C, packed(2))]
pub(super) struct Capability {
    pub(super) cap: u16,
    pub(super) con_type: u16,
    pub(super) container: Handle,
}

#[allow(dead_code)] // TWAIN's layout: some fields only the other side reads.
#[repr(C, packed(2))]
#[derive(Clone, Copy)]
pub(super) struct OneValue {
    pub(super) item_type: u16,
    pub(super) item: u32,
}

#[allow(dead_code)] // TWAIN's layout: some fields only the other side reads.
#[repr(C, packed(2))]
pub(super) struct UserInterface {
    pub(super) show_ui: u16,
    pub(super) modal_ui: u16,
    pub(super) parent: Handle,
}

#[allow(dead_code)] // TWAIN's layout: some fields only the other side reads.
#[repr(C, packed(2))]
pub(super) struct Event {
    pub(super) event: *mut c_void,
    pub(super) message: u16,
}

#[allow(dead_code)] // TWAIN's layout: some fields only the other side reads.
#[repr(C, packed(2))]
pub(super) struct PendingXfers {
    pub(super) count: u16,
    pub(super) eoj: u32,
}

#[allow(dead_code)] // TWAIN's layout: some fields only the other side reads.
#[repr(C, packed(2))]
pub(super) struct ImageInfo {
    pub(super) x_resolution: u32,
    pub(super) y_resolution: u32,
    pub(super) width: i32,
    pub(super) length: i32,
    pub(super) samples_per_pixel: i16,
    pub(super) bits_per_sample: [i16; 8],
    pub(super) bits_per_pixel: i16,
    pub(super) planar: u16,
    pub(super) pixel_type: i16,
    pub(super) compression: u16,
}

#[allow(dead_code)] // TWAIN's layout: some fields only the other side reads.
#[repr(C, packed(2))]
pub(super) struct MemXfer {
    pub(super) compression: u16,
    pub(super) bytes_per_row: u32,
    pub(super) columns: u32,
    pub(super) rows: u32,
    pub(super) x_offset: u32,
    pub(super) y_offset: u32,
    pub(super) bytes_written: u32,
    pub(super) flags: u32,
    pub(super) length: u32,
    pub(super) mem: *mut c_void,
}
