//! The TWAIN 1 session itself, through the data source manager's one entry point
//! `DSM_Entry`: `TWAINDSM.dll` (TWAIN 2's manager, which real drivers install) or else
//! Windows' own `twain_32.dll`; a message-only window as the parent; the TWAIN 1
//! message loop (every message offered to the source with MSG_PROCESSEVENT), which
//! also works with managers that never call back (Wine's). What a page becomes and
//! what a failure says are decided in `crate::scan::twain`.
//!
//! TWAIN structures are 2-byte packed: they are `repr(C, packed(2))` (in `ffi`) and their
//! fields are only ever read and written by value.

use std::ffi::c_void;
use std::ptr::{null, null_mut};

use crate::scan::twain::{PageLimit, StripPage, TwainFailure, Watch, dib_to_image};

mod ffi;

use ffi::*;

/// What the scan asks of the source.
#[derive(Debug, Clone)]
pub struct Request {
    /// The source's product name from the settings; `None`: the first usable one.
    pub source: Option<String>,
    pub dpi: u32,
    /// ICAP_PIXELTYPE.
    pub pixel_type: u16,
    pub feeder: bool,
    pub max_pages: u32,
    /// Memory transfer (strips) rather than native (one DIB a page).
    pub memory: bool,
    pub limit: PageLimit,
}

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(Some(0)).collect()
}

/// The loaded manager's entry point: TWAINDSM.dll first, then twain_32.dll. The DLL
/// stays loaded for the life of the process (sources may keep windows and threads).
fn entry() -> Result<Entry, TwainFailure> {
    for name in ["TWAINDSM.dll", "twain_32.dll"] {
        let name = wide(name);
        // SAFETY: a NUL-terminated name; a failed load returns null.
        let module = unsafe { LoadLibraryW(name.as_ptr()) };
        if module.is_null() {
            continue;
        }
        // SAFETY: the module is loaded; the name is NUL-terminated.
        if let Some(f) = unsafe { GetProcAddress(module, c"DSM_Entry".as_ptr().cast()) } {
            // SAFETY: DSM_Entry has this signature in every TWAIN manager.
            return Ok(unsafe {
                std::mem::transmute::<unsafe extern "system" fn() -> isize, Entry>(f)
            });
        }
    }
    Err(TwainFailure::NoManager)
}

/// One open session; dropping it walks TWAIN's states back down (reset pending
/// transfers, disable and close the source, close the manager, destroy the window).
struct Session {
    entry: Entry,
    window: Handle,
    app: Box<Identity>,
    source: Option<Box<Identity>>,
    manager_open: bool,
    enabled: bool,
    pending: bool,
}

impl Session {
    fn open() -> Result<Session, TwainFailure> {
        let entry = entry()?;
        let class = wide("STATIC");
        // SAFETY: a message-only window of a system class; no display is needed.
        let window = unsafe {
            CreateWindowExW(
                0,
                class.as_ptr(),
                null(),
                0,
                0,
                0,
                0,
                0,
                HWND_MESSAGE as Handle,
                null_mut(),
                null_mut(),
                null(),
            )
        };
        let mut session = Session {
            entry,
            window,
            app: Box::new(Identity::ours()),
            source: None,
            manager_open: false,
            enabled: false,
            pending: false,
        };
        let mut parent = window;
        let rc = session.call(
            false,
            DG_CONTROL,
            DAT_PARENT,
            MSG_OPENDSM,
            (&raw mut parent).cast(),
        );
        if rc != TWRC_SUCCESS {
            return Err(session.failed("mở trình quản lý TWAIN", false));
        }
        session.manager_open = true;
        Ok(session)
    }

    /// `DSM_Entry` to the manager (`to_source` false) or to the open source.
    fn call(&mut self, to_source: bool, dg: u32, dat: u16, msg: u16, data: *mut c_void) -> u16 {
        let dest = match (&mut self.source, to_source) {
            (Some(s), true) => &raw mut **s,
            _ => null_mut(),
        };
        // SAFETY: the identities are boxed (stable addresses) and live as long as the
        // session; `data` points to the structure this triplet takes.
        unsafe { (self.entry)(&raw mut *self.app, dest, dg, dat, msg, data) }
    }

    /// The condition code after a failed call, as a failure.
    fn failed(&mut self, step: &'static str, of_source: bool) -> TwainFailure {
        let mut status = [0u16; 2];
        self.call(
            of_source,
            DG_CONTROL,
            DAT_STATUS,
            MSG_GET,
            status.as_mut_ptr().cast(),
        );
        TwainFailure::Call {
            step,
            condition: status[0],
        }
    }

    fn source_names(&mut self) -> Vec<Identity> {
        let mut found = Vec::new();
        let mut id = Identity::zeroed();
        let mut msg = MSG_GETFIRST;
        while self.call(false, DG_CONTROL, DAT_IDENTITY, msg, (&raw mut id).cast()) == TWRC_SUCCESS
            && found.len() < 64
        {
            found.push(id);
            id = Identity::zeroed();
            msg = MSG_GETNEXT;
        }
        found
    }

    fn open_source(&mut self, wanted: Option<&str>) -> Result<(), TwainFailure> {
        let found = self.source_names();
        let names: Vec<String> = found.iter().map(Identity::product_name).collect();
        let name = crate::scan::twain::pick_source(&names, wanted)?;
        let chosen = found
            .iter()
            .find(|i| i.product_name() == name)
            .copied()
            .unwrap_or_else(Identity::zeroed);
        // Opening gives the source a new id: the manager writes it into this box.
        let mut source = Box::new(chosen);
        let rc = self.call(
            false,
            DG_CONTROL,
            DAT_IDENTITY,
            MSG_OPENDS,
            (&raw mut *source).cast(),
        );
        if rc != TWRC_SUCCESS {
            return Err(self.failed("mở máy quét", false));
        }
        self.source = Some(source);
        Ok(())
    }

    /// MSG_SET of a one-value capability; the container is freed afterwards.
    fn set(&mut self, cap: u16, item_type: u16, item: u32) -> bool {
        // SAFETY: a movable global block of the container's size, freed below.
        let container = unsafe { GlobalAlloc(GHND, std::mem::size_of::<OneValue>()) };
        if container.is_null() {
            return false;
        }
        // SAFETY: locked block of the right size; written unaligned (packed struct).
        unsafe {
            let p = GlobalLock(container).cast::<OneValue>();
            if !p.is_null() {
                p.write_unaligned(OneValue { item_type, item });
            }
            GlobalUnlock(container);
        }
        let mut capability = Capability {
            cap,
            con_type: TWON_ONEVALUE,
            container,
        };
        let rc = self.call(
            true,
            DG_CONTROL,
            DAT_CAPABILITY,
            MSG_SET,
            (&raw mut capability).cast(),
        );
        // SAFETY: the application owns the container it allocated.
        unsafe { GlobalFree(container) };
        matches!(rc, TWRC_SUCCESS | TWRC_CHECKSTATUS)
    }

    /// MSG_GETCURRENT of a capability the source returns as one value.
    fn get(&mut self, cap: u16) -> Option<u32> {
        let mut capability = Capability {
            cap,
            con_type: TWON_DONTCARE16,
            container: null_mut(),
        };
        let rc = self.call(
            true,
            DG_CONTROL,
            DAT_CAPABILITY,
            MSG_GETCURRENT,
            (&raw mut capability).cast(),
        );
        let container = capability.container;
        if rc != TWRC_SUCCESS || container.is_null() {
            return None;
        }
        let con_type = capability.con_type;
        // SAFETY: the source allocated the container for us; read unaligned, then freed.
        unsafe {
            let p = GlobalLock(container).cast::<OneValue>();
            let value =
                (!p.is_null() && con_type == TWON_ONEVALUE).then(|| p.read_unaligned().item);
            GlobalUnlock(container);
            GlobalFree(container);
            value
        }
    }

    fn configure(&mut self, request: &Request) -> Result<(), TwainFailure> {
        let mech = if request.memory {
            TWSX_MEMORY
        } else {
            TWSX_NATIVE
        };
        if !self.set(ICAP_XFERMECH, TWTY_UINT16, u32::from(mech)) {
            return Err(self.failed("chọn cách nhận ảnh", true));
        }
        // Resolution and colour are requests: a source that refuses keeps its own.
        let dpi = request.dpi.clamp(50, 1200);
        self.set(ICAP_XRESOLUTION, TWTY_FIX32, dpi);
        self.set(ICAP_YRESOLUTION, TWTY_FIX32, dpi);
        self.set(ICAP_PIXELTYPE, TWTY_UINT16, u32::from(request.pixel_type));
        let feeder = self.set(CAP_FEEDERENABLED, TWTY_BOOL, u32::from(request.feeder));
        if request.feeder && feeder && self.get(CAP_FEEDERLOADED) == Some(0) {
            return Err(TwainFailure::Call {
                step: "nạp giấy",
                condition: 29,
            });
        }
        let count = if request.feeder {
            request.max_pages.clamp(1, 32_767)
        } else {
            1
        };
        self.set(CAP_XFERCOUNT, TWTY_INT16, count);
        Ok(())
    }

    fn enable(&mut self) -> Result<(), TwainFailure> {
        let mut ui = UserInterface {
            show_ui: 0,
            modal_ui: 0,
            parent: self.window,
        };
        let rc = self.call(
            true,
            DG_CONTROL,
            DAT_USERINTERFACE,
            MSG_ENABLEDS,
            (&raw mut ui).cast(),
        );
        if !matches!(rc, TWRC_SUCCESS | TWRC_CHECKSTATUS) {
            return Err(self.failed("bắt đầu quét", true));
        }
        self.enabled = true;
        Ok(())
    }

    /// The TWAIN 1 loop: every message offered to the source until it says a
    /// transfer is ready (`true`) or asks to be closed (`false`).
    fn wait_ready(&mut self, watch: &Watch) -> Result<bool, TwainFailure> {
        loop {
            if watch.stopped() {
                return Err(TwainFailure::Cancelled);
            }
            let mut msg = Msg {
                hwnd: null_mut(),
                message: 0,
                wparam: 0,
                lparam: 0,
                time: 0,
                pt: [0; 2],
                private: 0,
            };
            // SAFETY: `msg` is a valid MSG for the calling thread's queue.
            while unsafe { PeekMessageW(&mut msg, null_mut(), 0, 0, PM_REMOVE) } != 0 {
                watch.beat();
                let mut event = Event {
                    event: (&raw mut msg).cast(),
                    message: 0,
                };
                let rc = self.call(
                    true,
                    DG_CONTROL,
                    DAT_EVENT,
                    MSG_PROCESSEVENT,
                    (&raw mut event).cast(),
                );
                if rc == TWRC_DSEVENT {
                    // Wine posts empty duplicates (MSG_NULL): ignored.
                    match event.message {
                        MSG_XFERREADY => return Ok(true),
                        MSG_CLOSEDSREQ => return Ok(false),
                        _ => {}
                    }
                } else {
                    // SAFETY: a message just taken from this thread's queue.
                    unsafe {
                        TranslateMessage(&msg);
                        DispatchMessageW(&msg);
                    }
                }
            }
            // SAFETY: no handles; wakes on any message or after 50 ms.
            unsafe { MsgWaitForMultipleObjects(0, null(), 0, 50, QS_ALLINPUT) };
        }
    }

    fn image_info(&mut self) -> Result<ImageInfo, TwainFailure> {
        let mut info = ImageInfo {
            x_resolution: 0,
            y_resolution: 0,
            width: -1,
            length: -1,
            samples_per_pixel: 0,
            bits_per_sample: [0; 8],
            bits_per_pixel: 0,
            planar: 0,
            pixel_type: 0,
            compression: 0,
        };
        if self.call(
            true,
            DG_IMAGE,
            DAT_IMAGEINFO,
            MSG_GET,
            (&raw mut info).cast(),
        ) != TWRC_SUCCESS
        {
            return Err(self.failed("đọc thông tin trang", true));
        }
        Ok(info)
    }

    /// One page by native transfer: `None` when the source cancelled it.
    fn native_page(
        &mut self,
        limit: PageLimit,
    ) -> Result<Option<image::DynamicImage>, TwainFailure> {
        let mut handle: Handle = null_mut();
        let rc = self.call(
            true,
            DG_IMAGE,
            DAT_IMAGENATIVEXFER,
            MSG_GET,
            (&raw mut handle).cast(),
        );
        match rc {
            TWRC_XFERDONE if !handle.is_null() => {}
            TWRC_CANCEL => return Ok(None),
            _ => return Err(self.failed("nhận trang", true)),
        }
        // SAFETY: the DIB's global block is ours after XFERDONE; read within its size
        // while locked, then freed.
        unsafe {
            let size = GlobalSize(handle);
            let p = GlobalLock(handle).cast::<u8>();
            let page = if p.is_null() {
                Err(TwainFailure::BadPage("không khóa được ảnh".into()))
            } else {
                dib_to_image(std::slice::from_raw_parts(p, size), limit)
            };
            GlobalUnlock(handle);
            GlobalFree(handle);
            page.map(Some)
        }
    }

    /// One page by memory transfer, in strips into a buffer this side owns.
    fn memory_page(
        &mut self,
        info: &ImageInfo,
        limit: PageLimit,
        watch: &Watch,
    ) -> Result<Option<image::DynamicImage>, TwainFailure> {
        let mut setup = [0u32; 3];
        let size = if self.call(
            true,
            DG_CONTROL,
            DAT_SETUPMEMXFER,
            MSG_GET,
            setup.as_mut_ptr().cast(),
        ) == TWRC_SUCCESS
        {
            setup[2].max(setup[0]).clamp(4096, 8 << 20)
        } else {
            64 << 10
        };
        let mut buffer = vec![0u8; size as usize];
        let (width, length, bits) = (info.width, info.length, info.bits_per_pixel);
        let width = u32::try_from(width)
            .map_err(|_| TwainFailure::BadPage("chiều rộng không rõ".into()))?;
        let height = u32::try_from(length).ok();
        let mut page = StripPage::new(width, height, bits as u16, limit)?;
        loop {
            if watch.stopped() {
                return Err(TwainFailure::Cancelled);
            }
            let mut strip = MemXfer {
                compression: 0xffff,
                bytes_per_row: u32::MAX,
                columns: u32::MAX,
                rows: u32::MAX,
                x_offset: u32::MAX,
                y_offset: u32::MAX,
                bytes_written: u32::MAX,
                flags: TWMF_APPOWNS | TWMF_POINTER,
                length: size,
                mem: buffer.as_mut_ptr().cast(),
            };
            let rc = self.call(
                true,
                DG_IMAGE,
                DAT_IMAGEMEMXFER,
                MSG_GET,
                (&raw mut strip).cast(),
            );
            match rc {
                TWRC_SUCCESS | TWRC_XFERDONE => {}
                TWRC_CANCEL => return Ok(None),
                _ => return Err(self.failed("nhận trang", true)),
            }
            watch.beat();
            let (y, rows, per_row, written) = (
                strip.y_offset,
                strip.rows,
                strip.bytes_per_row,
                strip.bytes_written,
            );
            let data = &buffer[..(written as usize).min(buffer.len())];
            page.add(y, rows, per_row, data)?;
            if rc == TWRC_XFERDONE {
                return page.into_image().map(Some);
            }
        }
    }

    /// Ends the current transfer: the pages the source still has.
    fn end_transfer(&mut self) -> Result<u16, TwainFailure> {
        let mut pending = PendingXfers { count: 0, eoj: 0 };
        if self.call(
            true,
            DG_CONTROL,
            DAT_PENDINGXFERS,
            MSG_ENDXFER,
            (&raw mut pending).cast(),
        ) != TWRC_SUCCESS
        {
            return Err(self.failed("kết thúc trang", true));
        }
        self.pending = pending.count != 0;
        Ok(pending.count)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.pending {
            let mut pending = PendingXfers { count: 0, eoj: 0 };
            self.call(
                true,
                DG_CONTROL,
                DAT_PENDINGXFERS,
                MSG_RESET,
                (&raw mut pending).cast(),
            );
        }
        if self.enabled {
            let mut ui = UserInterface {
                show_ui: 0,
                modal_ui: 0,
                parent: self.window,
            };
            self.call(
                true,
                DG_CONTROL,
                DAT_USERINTERFACE,
                MSG_DISABLEDS,
                (&raw mut ui).cast(),
            );
        }
        if let Some(mut source) = self.source.take() {
            self.call(
                false,
                DG_CONTROL,
                DAT_IDENTITY,
                MSG_CLOSEDS,
                (&raw mut *source).cast(),
            );
        }
        if self.manager_open {
            let mut parent = self.window;
            self.call(
                false,
                DG_CONTROL,
                DAT_PARENT,
                MSG_CLOSEDSM,
                (&raw mut parent).cast(),
            );
        }
        if !self.window.is_null() {
            // SAFETY: the window this session created, on this thread.
            unsafe { DestroyWindow(self.window) };
        }
    }
}

/// Scans as `request` says on the calling thread, handing each page to `page` as it
/// arrives (so one page at a time is held); the number of pages.
pub fn acquire(
    request: &Request,
    watch: &Watch,
    page: &mut dyn FnMut(image::DynamicImage) -> Result<(), TwainFailure>,
) -> Result<u32, TwainFailure> {
    let mut session = Session::open()?;
    watch.beat();
    session.open_source(request.source.as_deref())?;
    session.configure(request)?;
    session.enable()?;
    watch.beat();
    if !session.wait_ready(watch)? {
        return Err(TwainFailure::ClosedBySource);
    }
    let mut pages = 0u32;
    loop {
        session.pending = true;
        let info = session.image_info()?;
        let (width, length) = (info.width, info.length);
        if width > 0 && length > 0 {
            request.limit.check(width as u64, length as u64)?;
        }
        let image = if request.memory {
            session.memory_page(&info, request.limit, watch)?
        } else {
            session.native_page(request.limit)?
        };
        let left = session.end_transfer()?;
        if let Some(image) = image {
            page(image)?;
            pages += 1;
        }
        watch.beat();
        if left == 0 || pages >= request.max_pages.max(1) || watch.stopped() {
            break;
        }
    }
    Ok(pages)
}

/// The product names of the sources the manager lists.
pub fn sources() -> Result<Vec<String>, TwainFailure> {
    let mut session = Session::open()?;
    Ok(session
        .source_names()
        .iter()
        .map(Identity::product_name)
        .collect())
}
