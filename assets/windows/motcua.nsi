; motcua-setup-<version>.exe: the desk for Windows 10/11 (x64), built on Linux with
;   makensis -DVERSION=0.1.0 -DEXE=path/to/motcua.exe -DOUTFILE=motcua-setup-0.1.0.exe assets/windows/motcua.nsi
; Installs to Program Files with Start-menu and desktop shortcuts and an entry in
; Apps & features. Data never lives here: it is in each user's %APPDATA% (or the
; shared folder IT names with /DATADIR=), so upgrades and uninstalls keep it.
;
; IT, silently:   motcua-setup-0.1.0.exe /S [/DATADIR=D:\MotCua\dulieu]
; Uninstall:      "C:\Program Files\motcua\uninstall.exe" /S [/REMOVEDATA]

; A 64-bit installer: the program is 64-bit, and 64-bit Windows runs it natively.
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel admin
!ifdef FAST
  SetCompressor zlib ; tests: a quicker build of the same installer
!else
  SetCompressor /SOLID lzma
!endif

!ifndef VERSION
  !error "makensis -DVERSION=x.y.z -DEXE=... -DOUTFILE=..."
!endif
!ifndef EXE
  !error "-DEXE=path/to/motcua.exe is required"
!endif
!ifndef OUTFILE
  !define OUTFILE "motcua-setup-${VERSION}.exe"
!endif
; -DSIGN="bash /abs/path/.ci/sign --pkcs12 … --pass-file …": the uninstaller that the
; installer writes is signed too, as makensis makes it (.ci/release and .ci/windows sign
; the installer itself afterwards). A failed signature fails the build.
!ifdef SIGN
  !uninstfinalize '${SIGN} "%1"' = 0
!endif

!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "x64.nsh"
!include "MUI2.nsh"

!define APP "motcua"
!define APP_NAME "Một cửa"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"
!define APP_KEY "Software\${APP}"

Name "${APP_NAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APP}"
InstallDirRegKey HKLM "${APP_KEY}" "InstallDir"
BrandingText "${APP_NAME} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP_NAME} (motcua)"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "Cài đặt phần mềm Một cửa cho bộ phận tiếp nhận và trả kết quả"
VIAddVersionKey "CompanyName" "motcua"
VIAddVersionKey "LegalCopyright" "MIT"

!define MUI_ICON "motcua.ico"
!define MUI_UNICON "motcua.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\motcua.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Mở ${APP_NAME} ngay"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Vietnamese"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "${APP_NAME} cần Windows 64-bit (Windows 10 hoặc 11)." /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  ; An upgrade installs where the previous version is.
  ReadRegStr $0 HKLM "${APP_KEY}" "InstallDir"
  ${If} $0 != ""
    StrCpy $INSTDIR $0
  ${EndIf}
FunctionEnd

Section "${APP_NAME}" SecMain
  SectionIn RO
  SetShellVarContext all
  SetOutPath "$INSTDIR"
  ; The program is replaced; the database is not here and is migrated (after a
  ; backup) by the new version on its first start.
  File "/oname=motcua.exe" "${EXE}"
  File "motcua.ico"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\motcua.exe" "" "$INSTDIR\motcua.ico" 0
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\motcua.exe" "" "$INSTDIR\motcua.ico" 0

  WriteRegStr HKLM "${APP_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${APP_KEY}" "Version" "${VERSION}"

  ; A data folder shared by every Windows user of this counter PC, if IT names one.
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/DATADIR=" $R1
  ${IfNot} ${Errors}
  ${AndIf} $R1 != ""
    CreateDirectory "$R1"
    WriteRegStr HKLM "${APP_KEY}" "DataDir" "$R1"
    ; Only administrators, the system and the PC's signed-in users (the clerks) may
    ; open it; nothing is inherited from a wider parent folder.
    nsExec::Exec 'icacls "$R1" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(CI)M'
    Pop $0
  ${EndIf}

  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${APP_NAME} (motcua)"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "motcua"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\motcua.exe,0"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" "$0"
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
SectionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

Section "Uninstall"
  SetShellVarContext all
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  Delete "$INSTDIR\motcua.exe"
  Delete "$INSTDIR\motcua.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINST_KEY}"
  DeleteRegValue HKLM "${APP_KEY}" "InstallDir"
  DeleteRegValue HKLM "${APP_KEY}" "Version"

  ; Dossiers are citizens' records: kept unless asked (/REMOVEDATA, or Yes below).
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/REMOVEDATA" $R1
  ${If} ${Errors}
    MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 \
      "Xoá luôn dữ liệu hồ sơ (cơ sở dữ liệu, bản sao lưu, phiếu đã in) trên máy này?$\r$\n$\r$\nChọn Không để giữ lại: cài lại phần mềm sẽ dùng tiếp dữ liệu cũ." \
      /SD IDNO IDYES remove_data
    Goto done
  ${EndIf}
  remove_data:
    ReadRegStr $R2 HKLM "${APP_KEY}" "DataDir"
    ${If} $R2 != ""
      RMDir /r "$R2"
    ${EndIf}
    DeleteRegKey HKLM "${APP_KEY}"
    SetShellVarContext current
    RMDir /r "$APPDATA\${APP}"
    RMDir /r "$LOCALAPPDATA\${APP}"
  done:
  DeleteRegKey /ifempty HKLM "${APP_KEY}"
SectionEnd
