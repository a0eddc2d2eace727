//! What every reader and writer of local files shares, one copy each: opening a file's
//! container without probing it, seeking one of its streams, and the write error FFmpeg's
//! buffered output keeps to itself.

use std::ffi::CString;
use std::path::Path;

use ffmpeg_next as ffmpeg;
use ffmpeg_next::ffi;

/// Opens a local file with `avformat_open_input` and without `avformat_find_stream_info`:
/// an MP4's header already says what a remux or a decoder needs, and probing would decode
/// pictures first (about 25 ms at 1080p). The path goes to FFmpeg byte for byte, so a file
/// name that is not UTF-8 still opens.
pub(crate) fn open_file(path: &Path) -> Result<ffmpeg::format::context::Input, ffmpeg::Error> {
    use std::os::unix::ffi::OsStrExt;
    let c_path =
        CString::new(path.as_os_str().as_bytes()).map_err(|_| ffmpeg::Error::InvalidData)?;
    let mut ps = std::ptr::null_mut();
    // SAFETY: c_path is a valid C string; on failure avformat_open_input frees the context
    // and leaves `ps` null; on success `Input::wrap` takes ownership and closes it on drop.
    unsafe {
        let rc = ffi::avformat_open_input(
            &mut ps,
            c_path.as_ptr(),
            std::ptr::null(),
            std::ptr::null_mut(),
        );
        if rc < 0 {
            return Err(ffmpeg::Error::from(rc));
        }
        Ok(ffmpeg::format::context::Input::wrap(ps))
    }
}

/// After the trailer: the write error FFmpeg's buffered I/O kept to itself (the trailer can
/// "succeed" on a full disk), or the bytes written (the output's position; 0 when it has no
/// I/O context).
pub(crate) fn output_written(octx: &ffmpeg::format::context::Output) -> Result<u64, ffmpeg::Error> {
    // SAFETY: `pb` is the output's open I/O context, owned by `octx`, used only here;
    // seeking 0 from the current position only reports the position (no I/O).
    let (io_error, position) = unsafe {
        let pb = (*octx.as_ptr()).pb;
        if pb.is_null() {
            (0, 0)
        } else {
            ((*pb).error, ffi::avio_seek(pb, 0, libc::SEEK_CUR))
        }
    };
    if io_error < 0 {
        return Err(ffmpeg::Error::from(io_error));
    }
    Ok(position.max(0) as u64)
}

/// Seeks `input` so the next packet of `stream` is the keyframe at or before `ts` (that
/// stream's ticks); every sound packet is a keyframe.
pub(crate) fn seek_at_or_before(
    input: &mut ffmpeg::format::context::Input,
    stream: usize,
    ts: i64,
) -> Result<(), ffmpeg::Error> {
    let index = i32::try_from(stream).map_err(|_| ffmpeg::Error::StreamNotFound)?;
    // SAFETY: the input context is open and borrowed mutably; max_ts = ts asks for a
    // keyframe at or before ts in the stream's time base.
    let ret = unsafe { ffi::avformat_seek_file(input.as_mut_ptr(), index, i64::MIN, ts, ts, 0) };
    if ret < 0 {
        return Err(ffmpeg::Error::from(ret));
    }
    Ok(())
}
