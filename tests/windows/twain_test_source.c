/* A TWAIN 1 data source for the Wine tests, as SANE's `test` backend is for Linux: white
 * A4 pages with the page number drawn in big black blocks, from the glass (one page) or
 * from a feeder holding MOTCUA_TEST_TWAIN_PAGES pages (3 when unset; 0: an empty feeder,
 * refused at MSG_ENABLEDS with TWCC_NOMEDIA), by native (DIB) or memory transfer, in
 * black-and-white, grey or colour at the resolution asked. MOTCUA_TEST_TWAIN_JAM=k makes
 * page k fail with TWCC_PAPERJAM. Wine's twain_32.dll loads only c:\windows\twain_64\sane.ds
 * and gphoto2.ds, so tests/windows.rs builds this over sane.ds:
 *   x86_64-w64-mingw32-gcc -shared -O2 -o sane.ds twain_test_source.c -Wl,--kill-at
 */
#include <windows.h>
#include <stdlib.h>
#include <string.h>

#pragma pack(push, 2)
typedef struct { short Whole; unsigned short Frac; } FIX32;
typedef struct { WORD Major, Minor, Language, Country; char Info[34]; } VERSION32;
typedef struct {
    DWORD Id; VERSION32 Version; WORD ProtocolMajor, ProtocolMinor; DWORD SupportedGroups;
    char Manufacturer[34], ProductFamily[34], ProductName[34];
} IDENTITY;
typedef struct { WORD Cap, ConType; HANDLE hContainer; } CAPABILITY;
typedef struct { WORD ItemType; DWORD Item; } ONEVALUE;
typedef struct { WORD ConditionCode, Reserved; } STATUS;
typedef struct { WORD Count; DWORD EOJ; } PENDINGXFERS;
typedef struct { DWORD MinBufSize, MaxBufSize, Preferred; } SETUPMEMXFER;
typedef struct {
    FIX32 XResolution, YResolution; LONG ImageWidth, ImageLength; short SamplesPerPixel;
    short BitsPerSample[8]; short BitsPerPixel; WORD Planar; short PixelType; WORD Compression;
} IMAGEINFO;
typedef struct { DWORD Flags, Length; void *TheMem; } MEMORY;
typedef struct {
    WORD Compression; DWORD BytesPerRow, Columns, Rows, XOffset, YOffset, BytesWritten;
    MEMORY Memory;
} IMAGEMEMXFER;
#pragma pack(pop)

typedef WORD (WINAPI *DSMENTRY)(IDENTITY *, IDENTITY *, DWORD, WORD, WORD, void *);

enum { DG_CONTROL = 1, DG_IMAGE = 2 };
enum { TWRC_SUCCESS = 0, TWRC_FAILURE = 1, TWRC_NOTDSEVENT = 5, TWRC_XFERDONE = 6 };
enum { TWCC_BUMMER = 1, TWCC_BADPROTOCOL = 9, TWCC_BADVALUE = 10, TWCC_SEQERROR = 11,
       TWCC_CAPUNSUPPORTED = 13, TWCC_PAPERJAM = 20, TWCC_NOMEDIA = 29 };
enum { TWTY_INT16 = 1, TWTY_UINT16 = 4, TWTY_BOOL = 6, TWTY_FIX32 = 7 };

static IDENTITY self, app;
static WORD cc;
static int mech, pixel_type = 1, feeder, dpi = 100, xfer_count = -1;
static int remaining, page, row, loaded;

static int env_int(const char *name, int fallback)
{
    const char *v = getenv(name);
    return v && *v ? atoi(v) : fallback;
}

static int width(void) { return dpi * 827 / 100; }
static int height(void) { return dpi * 1169 / 100; }

/* 3 × 5 digits, one bit a block, rows top to bottom. */
static const unsigned short DIGITS[10] = {
    075557, 022222, 071747, 071717, 055711, 074717, 074757, 071111, 075757, 075717 };

/* Whether (x, y) of page n (from the top left) is black: the number, blocks of a
 * fifth of an inch, an inch from the top left corner. */
static int black(int x, int y, int n)
{
    int block = dpi / 5, bx, by, digit;
    char text[12];
    if (block < 1) block = 1;
    bx = (x - dpi) / block, by = (y - dpi) / block;
    if (x < dpi || y < dpi || by >= 5) return 0;
    wsprintfA(text, "%d", n);
    digit = bx / 4;
    if (digit >= (int)strlen(text) || bx % 4 == 3) return 0;
    return (DIGITS[text[digit] - '0'] >> ((4 - by) * 3 + (2 - bx % 3))) & 1;
}

static int bits(void) { return pixel_type == 0 ? 1 : pixel_type == 1 ? 8 : 24; }

/* One row, top-down; 1-bit rows with 0 for black (TWAIN's default pixel flavour). */
static void fill_row(BYTE *out, int y, int bgr)
{
    int x, w = width();
    for (x = 0; x < w; x++) {
        int b = black(x, y, page);
        if (pixel_type == 0) {
            if (x % 8 == 0) out[x / 8] = 0;
            if (!b) out[x / 8] |= 0x80 >> (x % 8);
        } else if (pixel_type == 1) {
            out[x] = b ? 0 : 255;
        } else {
            out[3 * x] = b ? 0 : (bgr ? 240 : 255);
            out[3 * x + 1] = b ? 0 : 255;
            out[3 * x + 2] = b ? 0 : (bgr ? 255 : 240);
        }
    }
}

static WORD fail(WORD code) { cc = code; return TWRC_FAILURE; }

static WORD capability(WORD msg, CAPABILITY *cap)
{
    int *value = NULL; WORD type = TWTY_UINT16;
    ONEVALUE *one;
    switch (cap->Cap) {
    case 0x0001: value = &xfer_count; type = TWTY_INT16; break; /* CAP_XFERCOUNT */
    case 0x0103: value = &mech; break;                          /* ICAP_XFERMECH */
    case 0x0101: value = &pixel_type; break;                    /* ICAP_PIXELTYPE */
    case 0x1118: case 0x1119: value = &dpi; type = TWTY_FIX32; break;
    case 0x1002: value = &feeder; type = TWTY_BOOL; break;      /* CAP_FEEDERENABLED */
    case 0x1003: loaded = env_int("MOTCUA_TEST_TWAIN_PAGES", 3) > 0; /* CAP_FEEDERLOADED */
        value = &loaded; type = TWTY_BOOL; break;
    default: return fail(TWCC_CAPUNSUPPORTED);
    }
    if (msg == 6) { /* MSG_SET */
        DWORD item;
        if (cap->ConType != 5 || !cap->hContainer || cap->Cap == 0x1003) return fail(TWCC_BADVALUE);
        one = GlobalLock(cap->hContainer);
        item = one->Item;
        GlobalUnlock(cap->hContainer);
        if (type == TWTY_FIX32) item &= 0xffff;
        if (type == TWTY_INT16) item = (DWORD)(short)(item & 0xffff);
        if ((cap->Cap == 0x0103 && item != 0 && item != 2) || (cap->Cap == 0x0101 && item > 2)
            || (type == TWTY_FIX32 && (item < 50 || item > 600)))
            return fail(TWCC_BADVALUE);
        *value = (int)item;
        return TWRC_SUCCESS;
    }
    if (msg == 7 || msg == 8) return TWRC_SUCCESS; /* MSG_RESET, MSG_QUERYSUPPORT */
    cap->ConType = 5;
    cap->hContainer = GlobalAlloc(GHND, sizeof(ONEVALUE));
    one = GlobalLock(cap->hContainer);
    one->ItemType = type;
    one->Item = type == TWTY_INT16 ? (DWORD)(WORD)(short)*value : (DWORD)*value;
    GlobalUnlock(cap->hContainer);
    return TWRC_SUCCESS;
}

static WORD native(HANDLE *out)
{
    int w = width(), h = height(), y, stride = ((w * bits() + 31) / 32) * 4;
    int colours = bits() == 24 ? 0 : 1 << bits();
    HGLOBAL g = GlobalAlloc(GHND, sizeof(BITMAPINFOHEADER) + 4 * colours + (SIZE_T)stride * h);
    BITMAPINFOHEADER *bi;
    RGBQUAD *palette;
    BYTE *rows;
    if (!g) return fail(TWCC_BUMMER);
    bi = GlobalLock(g);
    bi->biSize = sizeof(*bi); bi->biWidth = w; bi->biHeight = h; bi->biPlanes = 1;
    bi->biBitCount = bits(); bi->biClrUsed = colours;
    bi->biXPelsPerMeter = bi->biYPelsPerMeter = dpi * 3937 / 100;
    palette = (RGBQUAD *)(bi + 1);
    for (y = 0; y < colours; y++) {
        BYTE v = colours == 2 ? (y ? 255 : 0) : y;
        palette[y].rgbRed = palette[y].rgbGreen = palette[y].rgbBlue = v;
    }
    rows = (BYTE *)(palette + colours);
    for (y = 0; y < h; y++) fill_row(rows + (SIZE_T)(h - 1 - y) * stride, y, 1);
    GlobalUnlock(g);
    *out = g;
    return TWRC_XFERDONE;
}

static WORD memory(IMAGEMEMXFER *x)
{
    int stride = (width() * bits() + 7) / 8, n = 0;
    BYTE *buf = x->Memory.TheMem;
    if (x->Memory.Flags & 0x4) buf = GlobalLock(x->Memory.TheMem); /* TWMF_HANDLE */
    while (row < height() && (DWORD)((n + 1) * stride) <= x->Memory.Length) {
        fill_row(buf + n * stride, row, 0);
        n++, row++;
    }
    if (x->Memory.Flags & 0x4) GlobalUnlock(x->Memory.TheMem);
    if (n == 0) return fail(TWCC_BADVALUE);
    x->Compression = 0; x->BytesPerRow = stride; x->Columns = width(); x->Rows = n;
    x->XOffset = 0; x->YOffset = row - n; x->BytesWritten = n * stride;
    return row >= height() ? TWRC_XFERDONE : TWRC_SUCCESS;
}

static WORD enable(void)
{
    DSMENTRY dsm;
    HMODULE m = GetModuleHandleA("twaindsm.dll");
    if (!m) m = GetModuleHandleA("twain_32.dll");
    dsm = m ? (DSMENTRY)GetProcAddress(m, "DSM_Entry") : NULL;
    remaining = feeder ? env_int("MOTCUA_TEST_TWAIN_PAGES", 3) : 1;
    if (xfer_count > 0 && remaining > xfer_count) remaining = xfer_count;
    if (remaining <= 0) return fail(TWCC_NOMEDIA);
    if (!dsm) return fail(TWCC_BUMMER);
    page = 1, row = 0;
    dsm(&self, &app, DG_CONTROL, 0 /* DAT_NULL */, 0x101 /* MSG_XFERREADY */, NULL);
    return TWRC_SUCCESS;
}

__declspec(dllexport) WORD WINAPI DS_Entry(IDENTITY *origin, DWORD dg, WORD dat, WORD msg, void *data)
{
    int jam = env_int("MOTCUA_TEST_TWAIN_JAM", 0);
    if (dg == DG_CONTROL && dat == 3) { /* DAT_IDENTITY */
        if (msg == 1 || msg == 0x401) { /* MSG_GET, MSG_OPENDS */
            IDENTITY *id = data;
            id->Version.Major = 1; id->ProtocolMajor = 1; id->ProtocolMinor = 9;
            id->SupportedGroups = DG_CONTROL | DG_IMAGE;
            strcpy(id->Manufacturer, "motcua");
            strcpy(id->ProductFamily, "test");
            strcpy(id->ProductName, "motcua test scanner");
            if (msg == 0x401) {
                self = *id, app = *origin;
                mech = 0, pixel_type = 1, feeder = 0, dpi = 100, xfer_count = -1, remaining = 0;
            }
        }
        return TWRC_SUCCESS;
    }
    if (dg == DG_CONTROL && dat == 8) { /* DAT_STATUS */
        ((STATUS *)data)->ConditionCode = cc, cc = 0;
        return TWRC_SUCCESS;
    }
    if (dg == DG_CONTROL && dat == 1) return capability(msg, data);
    if (dg == DG_CONTROL && dat == 2) return TWRC_NOTDSEVENT; /* DAT_EVENT */
    if (dg == DG_CONTROL && dat == 9) return msg == 0x502 ? enable() : TWRC_SUCCESS;
    if (dg == DG_CONTROL && dat == 6) { /* DAT_SETUPMEMXFER */
        SETUPMEMXFER *s = data;
        s->MinBufSize = 4096; s->MaxBufSize = s->Preferred = 65536;
        return TWRC_SUCCESS;
    }
    if (dg == DG_CONTROL && dat == 5) { /* DAT_PENDINGXFERS */
        PENDINGXFERS *p = data;
        if (msg == 0x701) remaining--, page++, row = 0; /* MSG_ENDXFER */
        if (msg == 7) remaining = 0;                    /* MSG_RESET */
        p->Count = remaining > 0 ? remaining : 0; p->EOJ = 0;
        return TWRC_SUCCESS;
    }
    if (dg == DG_IMAGE && remaining <= 0) return fail(TWCC_SEQERROR);
    if (dg == DG_IMAGE && jam == page) return fail(TWCC_PAPERJAM);
    if (dg == DG_IMAGE && dat == 0x0101) { /* DAT_IMAGEINFO */
        IMAGEINFO *i = data;
        memset(i, 0, sizeof(*i));
        i->XResolution.Whole = i->YResolution.Whole = dpi;
        i->ImageWidth = width(); i->ImageLength = height();
        i->SamplesPerPixel = pixel_type == 2 ? 3 : 1;
        i->BitsPerSample[0] = i->BitsPerSample[1] = i->BitsPerSample[2] = pixel_type ? 8 : 1;
        i->BitsPerPixel = bits(); i->PixelType = pixel_type;
        return TWRC_SUCCESS;
    }
    if (dg == DG_IMAGE && dat == 0x0104 && mech == 0) return native(data);
    if (dg == DG_IMAGE && dat == 0x0103 && mech == 2) return memory(data);
    return fail(TWCC_BADPROTOCOL);
}
