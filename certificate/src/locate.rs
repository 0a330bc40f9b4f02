//! Finding the QR code in a camera frame with bounded work.
//!
//! Why not hand the whole frame to rqrr: its search groups every three finder-like patterns
//! it sees and, for each group, copies the whole image and spirals outwards looking for an
//! alignment pattern, flood-filling every dark region it meets. On a frame of noise that is
//! seconds at 1920 × 1080, minutes at 12 MP, and it has no limit or deadline to give it.
//! So the search here is ours and bounded, and rqrr only reads small crops that already
//! look like a QR code:
//!
//! 1. the frame is area-averaged down to at most [`WORK_PIXELS`] (a certificate's code at
//!    phone-camera distances keeps at least two pixels a module);
//! 2. it is binarised against the local mean (an integral image, so any window costs the
//!    same);
//! 3. rows are scanned for the finder pattern's 1:1:3:1:1 runs, each hit cross-checked
//!    across and along; at most [`MAX_FINDERS`] candidates are kept;
//! 4. the strongest [`MAX_GROUP_CANDIDATES`] are grouped in threes that have a QR code's
//!    shape (two equal legs at a right angle, similar module sizes), best first, and a group
//!    is kept only if the two timing patterns between its finders alternate light and dark
//!    (noise passes the shape test now and then, this one practically never);
//! 5. for at most [`MAX_CROPS`] groups, the code's area is cut from the full-resolution
//!    frame (tight, then with context: [`CROP_CONTEXTS`]), scaled to about
//!    [`CROP_MODULE_PIXELS`] pixels a module (at most [`MAX_CROP_SIDE`] a side), and rqrr
//!    finds and decodes the code in that crop.
//!
//! A deadline is checked between the steps (and every few rows of the scan); rqrr's crop
//! search itself cannot be interrupted, but its input is at most [`MAX_CROP_SIDE`]² pixels.

use std::time::Instant;

use super::verify::LumaFrame;

/// The largest working image the finder search runs on, in pixels (about 3 MP: a 12 MP
/// frame halved, 1080p untouched).
pub const WORK_PIXELS: usize = 3_200_000;

/// The most finder-pattern candidates kept; more on one frame is noise or texture.
pub const MAX_FINDERS: usize = 256;

/// How many of the strongest candidates are grouped in threes (20 give 1140 groups, each
/// a few arithmetic checks).
pub const MAX_GROUP_CANDIDATES: usize = 20;

/// The most crops handed to rqrr for one frame.
pub const MAX_CROPS: usize = 4;

/// The side of a crop's module, in crop pixels.
const CROP_MODULE_PIXELS: f64 = 6.0;

/// The largest side of a crop handed to rqrr, in pixels (a version 11 code turned 45° with
/// its quiet zone and the wider of [`CROP_CONTEXTS`] is about 1100 at
/// [`CROP_MODULE_PIXELS`], so that crop is taken a little coarser).
pub const MAX_CROP_SIDE: usize = 900;

/// How much wider than the code (with its quiet zone) a crop is: first tight, then, if no
/// text was read, with context around it. rqrr thresholds against a row mean an eighth of
/// the image wide, which in a tight crop is too few modules for some small noisy codes,
/// while context can bring in clutter that spoils a large code.
const CROP_CONTEXTS: [f64; 2] = [1.0, 1.8];

/// The share of timing-pattern modules that must read as expected for a group to be cut.
const TIMING_AGREEMENT: f64 = 0.7;

/// The smallest module (in working pixels) searched for: below it the finder pattern's runs
/// are single pixels, which noise has everywhere.
const MIN_MODULE: f64 = 1.5;

/// The most modules a side of a QR code has (version 40).
const MAX_DIMENSION: f64 = 177.0;

// The integral image sums luma in u32: the working image must not overflow it.
const _: () = assert!(WORK_PIXELS as u64 * 255 < u32::MAX as u64);

/// Why no text came out of a frame: a short fixed reason.
pub type Reason = &'static str;

/// The text of the one QR code in `frame`, searched until `deadline`.
pub fn find_and_decode(frame: &LumaFrame<'_>, deadline: Instant) -> Result<String, Reason> {
    let (work, factor) = WorkImage::downscaled(frame);
    past(deadline)?;
    let dark = work.binarised();
    past(deadline)?;
    let finders = scan_finders(&dark, work.width, work.height, deadline)?;
    let groups = group_finders(&finders);
    let mut found: Vec<Found> = Vec::new();
    let mut decoder_failed = false;
    let mut tried = 0;
    for group in &groups {
        if tried == MAX_CROPS {
            break;
        }
        // A group whose finder already lies in a code that was found adds nothing.
        if group
            .finders
            .iter()
            .any(|&i| found.iter().any(|f| f.covers(finders[i].x, finders[i].y)))
        {
            continue;
        }
        past(deadline)?;
        if !timing_patterns_alternate(&dark, &work, group, &finders) {
            continue;
        }
        tried += 1;
        for context in CROP_CONTEXTS {
            past(deadline)?;
            let crop = Crop::cut(frame, group, &finders, factor, context);
            let Ok(codes) = crop.read() else {
                decoder_failed = true;
                continue;
            };
            let read = codes.iter().any(|code| code.text.is_some());
            for code in codes {
                let code = Found {
                    // Back to working-image coordinates, where the finders are.
                    center: (code.center.0 / factor, code.center.1 / factor),
                    radius: code.radius / factor,
                    text: code.text,
                };
                match found.iter_mut().find(|f| f.same_place(&code)) {
                    Some(known) if known.text.is_none() => known.text = code.text,
                    Some(_) => {}
                    None => found.push(code),
                }
            }
            if read {
                break;
            }
        }
    }
    match found.as_slice() {
        [] if decoder_failed => Err("QR decoder failed"),
        [] => Err("no QR code found"),
        [one] => one.text.clone().ok_or("QR code unreadable"),
        _ => Err("several QR codes found"),
    }
}

fn past(deadline: Instant) -> Result<(), Reason> {
    if Instant::now() > deadline {
        Err("QR search took too long")
    } else {
        Ok(())
    }
}

/// A code rqrr found: where (centre and half-diagonal) and its text, if it decoded.
struct Found {
    center: (f64, f64),
    radius: f64,
    text: Option<String>,
}

impl Found {
    fn covers(&self, x: f64, y: f64) -> bool {
        (x - self.center.0).hypot(y - self.center.1) <= self.radius
    }

    fn same_place(&self, other: &Found) -> bool {
        self.covers(other.center.0, other.center.1)
    }
}

/// The frame area-averaged by an integer factor.
struct WorkImage {
    width: usize,
    height: usize,
    luma: Vec<u8>,
}

impl WorkImage {
    /// The frame shrunk by the smallest integer factor that brings it to [`WORK_PIXELS`], and
    /// that factor. The frame's size was checked by the caller.
    fn downscaled(frame: &LumaFrame<'_>) -> (Self, f64) {
        let (w, h) = (frame.width as usize, frame.height as usize);
        let mut factor = 1;
        while (w / factor) * (h / factor) > WORK_PIXELS {
            factor += 1;
        }
        if factor == 1 {
            let image = Self {
                width: w,
                height: h,
                luma: frame.luma.to_vec(),
            };
            return (image, 1.0);
        }
        let (width, height) = (w / factor, h / factor);
        let mut sums = vec![0u32; width];
        let mut luma = Vec::with_capacity(width * height);
        let area = (factor * factor) as u32;
        for row in 0..height {
            sums.fill(0);
            for y in row * factor..(row + 1) * factor {
                let line = &frame.luma[y * w..y * w + width * factor];
                for (sum, block) in sums.iter_mut().zip(line.chunks_exact(factor)) {
                    *sum += block.iter().map(|&p| u32::from(p)).sum::<u32>();
                }
            }
            luma.extend(sums.iter().map(|&s| (s / area) as u8));
        }
        let image = Self {
            width,
            height,
            luma,
        };
        (image, factor as f64)
    }

    /// Dark pixels, against a window an eighth of the longer side wide.
    fn binarised(&self) -> Vec<bool> {
        let radius = (self.width.max(self.height) / 16).max(4);
        binarise(self.width, self.height, &self.luma, radius)
    }
}

/// Dark pixels: darker than 95 % of the mean of the square window `2 * radius + 1` wide
/// around them (the rule rqrr and quirc use, with a square window instead of a row). The
/// window sums come from an integral image, so any radius costs the same.
fn binarise(w: usize, h: usize, luma: &[u8], radius: usize) -> Vec<bool> {
    // integral[(y + 1) * (w + 1) + x + 1] = sum of luma over [0, x] × [0, y].
    let mut integral = vec![0u32; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row_sum = 0u32;
        for x in 0..w {
            row_sum += u32::from(luma[y * w + x]);
            integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1] + row_sum;
        }
    }
    let mut dark = vec![false; w * h];
    for y in 0..h {
        let (top, bottom) = (y.saturating_sub(radius), (y + radius + 1).min(h));
        for x in 0..w {
            let (left, right) = (x.saturating_sub(radius), (x + radius + 1).min(w));
            let sum = u64::from(integral[bottom * (w + 1) + right])
                + u64::from(integral[top * (w + 1) + left])
                - u64::from(integral[top * (w + 1) + right])
                - u64::from(integral[bottom * (w + 1) + left]);
            let count = ((bottom - top) * (right - left)) as u64;
            dark[y * w + x] = u64::from(luma[y * w + x]) * count * 100 < sum * 95;
        }
    }
    dark
}

/// A finder-pattern candidate in working-image coordinates.
#[derive(Debug, Clone, Copy)]
struct Finder {
    x: f64,
    y: f64,
    module: f64,
    /// How many scan hits merged into it.
    hits: u32,
}

/// Whether five run lengths are a finder pattern's 1:1:3:1:1, within half a module each
/// (ZXing's tolerance); the module size if so.
fn finder_ratio(runs: &[usize; 5]) -> Option<f64> {
    let total: usize = runs.iter().sum();
    let module = total as f64 / 7.0;
    if module < MIN_MODULE {
        return None;
    }
    let tolerance = module / 2.0;
    let near =
        |run: usize, modules: f64| (run as f64 - module * modules).abs() < tolerance * modules;
    (near(runs[0], 1.0)
        && near(runs[1], 1.0)
        && near(runs[2], 3.0)
        && near(runs[3], 1.0)
        && near(runs[4], 1.0))
    .then_some(module)
}

/// The five runs (dark, light, dark, light, dark) through position `start` of a line of
/// `length` pixels read through `at`, each at most `limit` long, and the centre's position
/// along the line; `None` unless `start` is dark and all five runs are there.
fn cross_runs(
    dark: &[bool],
    length: usize,
    at: impl Fn(usize) -> usize,
    start: usize,
    limit: usize,
) -> Option<([usize; 5], f64)> {
    let is_dark = |i: usize| dark.get(at(i)).copied().unwrap_or(false);
    if start >= length || !is_dark(start) {
        return None;
    }
    // Backwards from `start`: the centre's part, the light ring, the dark ring.
    let mut back = [0usize; 3];
    let mut next = Some(start);
    for (stage, run) in back.iter_mut().enumerate() {
        let want_dark = stage != 1;
        while let Some(i) = next.filter(|&i| is_dark(i) == want_dark) {
            *run += 1;
            if *run > limit {
                return None;
            }
            next = i.checked_sub(1);
        }
        // The rings must be there, and the image must not end inside the light ring.
        if *run == 0 || (next.is_none() && stage < 2) {
            return None;
        }
    }
    // Forwards from the pixel after `start`.
    let mut forward = [0usize; 3];
    let mut i = start + 1;
    for (stage, run) in forward.iter_mut().enumerate() {
        let want_dark = stage != 1;
        while i < length && is_dark(i) == want_dark {
            *run += 1;
            if *run > limit {
                return None;
            }
            i += 1;
        }
        if (stage > 0 && *run == 0) || (i >= length && stage < 2) {
            return None;
        }
    }
    let runs = [
        back[2],
        back[1],
        back[0] + forward[0],
        forward[1],
        forward[2],
    ];
    let centre = (start + 1 - back[0]) as f64 + runs[2] as f64 / 2.0;
    Some((runs, centre))
}

/// Finder-pattern candidates, strongest first; `Err` if the deadline passed.
fn scan_finders(
    dark: &[bool],
    width: usize,
    height: usize,
    deadline: Instant,
) -> Result<Vec<Finder>, Reason> {
    let mut finders: Vec<Finder> = Vec::new();
    let mut runs: Vec<(bool, usize, usize)> = Vec::with_capacity(width);
    for y in 0..height {
        if y % 64 == 0 {
            past(deadline)?;
        }
        let row = &dark[y * width..(y + 1) * width];
        runs.clear();
        let mut start = 0;
        for x in 1..=width {
            if x == width || row[x] != row[start] {
                runs.push((row[start], start, x - start));
                start = x;
            }
        }
        for window in runs.windows(5) {
            if !window[0].0 {
                continue;
            }
            let lengths = [
                window[0].2,
                window[1].2,
                window[2].2,
                window[3].2,
                window[4].2,
            ];
            let Some(module) = finder_ratio(&lengths) else {
                continue;
            };
            let cx = window[2].1 + window[2].2 / 2;
            let limit = window[2].2 * 2;
            // Along the column through the centre.
            let Some((vertical, cy)) = cross_runs(dark, height, |i| i * width + cx, y, limit)
            else {
                continue;
            };
            let Some(v_module) = finder_ratio(&vertical) else {
                continue;
            };
            if (v_module - module).abs() > module * 0.5 {
                continue;
            }
            // Along the row through the vertical centre, to centre x.
            let cy_row = cy as usize;
            let Some((horizontal, cx)) = cross_runs(dark, width, |i| cy_row * width + i, cx, limit)
            else {
                continue;
            };
            let Some(h_module) = finder_ratio(&horizontal) else {
                continue;
            };
            let module = (module + v_module + h_module) / 3.0;
            add_finder(&mut finders, cx, cy, module);
        }
    }
    finders.sort_by_key(|f| std::cmp::Reverse(f.hits));
    Ok(finders)
}

/// Merges a hit into the candidate it belongs to, or keeps it as a new one while there is room.
fn add_finder(finders: &mut Vec<Finder>, x: f64, y: f64, module: f64) {
    if let Some(known) = finders.iter_mut().find(|f| {
        (f.x - x).abs() <= f.module.max(module) * 2.0
            && (f.y - y).abs() <= f.module.max(module) * 2.0
            && (f.module - module).abs() <= f.module.max(module) * 0.5
    }) {
        let n = f64::from(known.hits);
        known.x = (known.x * n + x) / (n + 1.0);
        known.y = (known.y * n + y) / (n + 1.0);
        known.module = (known.module * n + module) / (n + 1.0);
        known.hits = known.hits.saturating_add(1);
    } else if finders.len() < MAX_FINDERS {
        finders.push(Finder {
            x,
            y,
            module,
            hits: 1,
        });
    }
}

/// Three finders that may be one code's corners: `corner` is the one at the right angle.
#[derive(Debug, Clone, Copy)]
struct Group {
    finders: [usize; 3],
    corner: usize,
    /// Modules a side, estimated from the finders' distance.
    dimension: f64,
    module: f64,
    /// How far from a perfect QR code's shape (0 is perfect).
    misfit: f64,
}

/// Groups of three among the strongest candidates that have a QR code's shape, best first.
fn group_finders(finders: &[Finder]) -> Vec<Group> {
    let n = finders.len().min(MAX_GROUP_CANDIDATES);
    let mut groups = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            for k in j + 1..n {
                if let Some(group) = shape_of([i, j, k], finders) {
                    groups.push(group);
                }
            }
        }
    }
    groups.sort_by(|a, b| a.misfit.total_cmp(&b.misfit));
    groups
}

fn shape_of(ids: [usize; 3], finders: &[Finder]) -> Option<Group> {
    let [a, b, c] = ids.map(|i| finders[i]);
    let modules = [a.module, b.module, c.module];
    let (small, large) = modules
        .iter()
        .fold((f64::MAX, 0.0f64), |(s, l), &m| (s.min(m), l.max(m)));
    if large > small * 1.5 {
        return None;
    }
    let d = |p: Finder, q: Finder| (p.x - q.x).hypot(p.y - q.y);
    let (ab, bc, ca) = (d(a, b), d(b, c), d(c, a));
    // The right-angle corner is opposite the longest side.
    let (corner, leg1, leg2, hypotenuse) = if ab >= bc && ab >= ca {
        (ids[2], bc, ca, ab)
    } else if bc >= ab && bc >= ca {
        (ids[0], ab, ca, bc)
    } else {
        (ids[1], ab, bc, ca)
    };
    let legs = leg1.max(leg2) / leg1.min(leg2).max(f64::MIN_POSITIVE);
    let right_angle = (hypotenuse / leg1.hypot(leg2) - 1.0).abs();
    if legs > 1.4 || right_angle > 0.15 {
        return None;
    }
    // A row or column through a finder turned by θ is longer than the finder by
    // 1 / max(|cos θ|, |sin θ|): the module measured from runs is corrected by the legs' angle.
    let corner_finder = finders[corner];
    let far = finders[ids.into_iter().find(|&i| i != corner).unwrap_or(corner)];
    let (dx, dy) = (far.x - corner_finder.x, far.y - corner_finder.y);
    let turn = dx.abs().max(dy.abs()) / dx.hypot(dy).max(f64::MIN_POSITIVE);
    let module = (a.module + b.module + c.module) / 3.0 * turn;
    let dimension = (leg1 + leg2) / 2.0 / module + 7.0;
    if !(17.0..=MAX_DIMENSION + 8.0).contains(&dimension) {
        return None;
    }
    Some(Group {
        finders: ids,
        corner,
        dimension,
        module,
        misfit: (legs - 1.0) + right_angle + (large / small - 1.0),
    })
}

/// Whether the timing patterns between the group's finders read as alternating modules for
/// the estimated size or two versions either side of it (the estimate from the finders'
/// distance is off by a version or so in a photo).
fn timing_patterns_alternate(
    dark: &[bool],
    work: &WorkImage,
    group: &Group,
    finders: &[Finder],
) -> bool {
    let corner = finders[group.corner];
    let mut others = group
        .finders
        .iter()
        .filter(|&&i| i != group.corner)
        .map(|&i| finders[i]);
    let (Some(p), Some(q)) = (others.next(), others.next()) else {
        return false;
    };
    let is_dark = |x: f64, y: f64| {
        x >= 0.0
            && y >= 0.0
            && (x as usize) < work.width
            && (y as usize) < work.height
            && dark[y as usize * work.width + x as usize]
    };
    // The nearest version's size, and its neighbours.
    let version = ((group.dimension - 17.0) / 4.0).round();
    (-2..=2).any(|step| {
        let dimension = 17.0 + 4.0 * (version + f64::from(step));
        if !(21.0..=MAX_DIMENSION).contains(&dimension) {
            return false;
        }
        // Module (u, v) of the code, with the corner finder's centre at (3.5, 3.5), mapped
        // through the affine frame the three finder centres span.
        let span = dimension - 7.0;
        let at = |u: f64, v: f64, along: Finder, across: Finder| {
            let (a, b) = ((u - 3.5) / span, (v - 3.5) / span);
            (
                corner.x + a * (along.x - corner.x) + b * (across.x - corner.x),
                corner.y + a * (along.y - corner.y) + b * (across.y - corner.y),
            )
        };
        let (mut agree, mut total) = (0u32, 0u32);
        for (along, across) in [(p, q), (q, p)] {
            for k in 8..(dimension as u32 - 8) {
                let (x, y) = at(f64::from(k) + 0.5, 6.5, along, across);
                total += 1;
                if is_dark(x, y) == (k % 2 == 0) {
                    agree += 1;
                }
            }
        }
        f64::from(agree) >= f64::from(total) * TIMING_AGREEMENT
    })
}

/// A piece of the frame around one group, scaled to about [`CROP_MODULE_PIXELS`] a module.
struct Crop {
    width: usize,
    height: usize,
    luma: Vec<u8>,
    /// Frame pixels per crop pixel, and the crop's top left in frame pixels.
    scale: f64,
    /// The estimated module, in crop pixels.
    module: f64,
    origin: (f64, f64),
}

/// A code rqrr found in a crop, in frame coordinates.
struct CropCode {
    center: (f64, f64),
    radius: f64,
    text: Option<String>,
}

impl Crop {
    fn cut(
        frame: &LumaFrame<'_>,
        group: &Group,
        finders: &[Finder],
        factor: f64,
        context: f64,
    ) -> Self {
        // Frame coordinates of the three finder centres; the fourth corner completes the
        // parallelogram, and the whole is widened from its centre to take in the outer rings
        // of the finders, the quiet zone and some error of the estimate.
        let at = |i: usize| {
            let f = finders[i];
            (f.x * factor, f.y * factor)
        };
        let corner = at(group.corner);
        let [p, q] = {
            let mut others = group.finders.iter().filter(|&&i| i != group.corner);
            let first = others.next().copied().unwrap_or(group.corner);
            let second = others.next().copied().unwrap_or(group.corner);
            [at(first), at(second)]
        };
        let fourth = (p.0 + q.0 - corner.0, p.1 + q.1 - corner.1);
        let center = ((p.0 + q.0) / 2.0, (p.1 + q.1) / 2.0);
        let half = (group.dimension - 7.0) / 2.0;
        let widen = (half + 3.5 + 4.0 + group.dimension * 0.1) / half.max(1.0);
        let corners = [corner, p, q, fourth].map(|(x, y)| {
            (
                center.0 + (x - center.0) * widen,
                center.1 + (y - center.1) * widen,
            )
        });
        let (mut left, mut top, mut right, mut bottom) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for (x, y) in corners {
            left = left.min(x);
            right = right.max(x);
            top = top.min(y);
            bottom = bottom.max(y);
        }
        let module_in_frame = group.module * factor;
        let extent = (right - left).max(bottom - top) * context;
        let scale = (module_in_frame / CROP_MODULE_PIXELS).max(extent / MAX_CROP_SIDE as f64);
        let side = ((extent / scale) as usize).clamp(1, MAX_CROP_SIDE);
        let half_span = side as f64 * scale / 2.0;
        let (left, top) = (center.0 - half_span, center.1 - half_span);
        // Up to 4 × 4 samples a crop pixel (a box filter when shrinking); past that a module
        // is still several crop pixels, and the cost stays bounded by the crop, not the frame.
        let taps = (scale.ceil() as usize).clamp(1, 4);
        let (fw, fh) = (frame.width as usize, frame.height as usize);
        let mut luma = Vec::with_capacity(side * side);
        for cy in 0..side {
            for cx in 0..side {
                let mut sum = 0u32;
                for ty in 0..taps {
                    let y = top + (cy as f64 + (ty as f64 + 0.5) / taps as f64) * scale;
                    for tx in 0..taps {
                        let x = left + (cx as f64 + (tx as f64 + 0.5) / taps as f64) * scale;
                        // Outside the frame is light, like a quiet zone.
                        let inside = x >= 0.0 && y >= 0.0 && (x as usize) < fw && (y as usize) < fh;
                        sum += if inside {
                            u32::from(frame.luma[y as usize * fw + x as usize])
                        } else {
                            255
                        };
                    }
                }
                luma.push((sum / (taps * taps) as u32) as u8);
            }
        }
        let (width, height) = (side, side);
        Self {
            width,
            height,
            luma,
            scale,
            module: module_in_frame / scale,
            origin: (left, top),
        }
    }

    /// The codes rqrr finds in the crop; `Err` if rqrr panicked. rqrr's own threshold (a
    /// running row mean an eighth of the width long) is tried first; if it reads no text,
    /// the crop binarised against a window of a few modules is tried, which keeps noisy
    /// small codes that the row mean loses (and the other way round).
    fn read(&self) -> Result<Vec<CropCode>, ()> {
        // rqrr is a port of quirc and asserts on some internal states (and indexes with
        // coordinates it computed); a crop of a camera frame is outside data, so a panic in
        // the decoder is caught here and becomes an unreadable frame instead of a crash
        // across the FFI boundary. The closure only reads the crop, so no state is left
        // half-changed by an unwind.
        std::panic::catch_unwind(|| {
            let w = self.width;
            let mut best = Vec::new();
            for attempt in 0..2 {
                let mut image = if attempt == 0 {
                    rqrr::PreparedImage::prepare_from_greyscale(w, self.height, |x, y| {
                        self.luma.get(y * w + x).copied().unwrap_or(255)
                    })
                } else {
                    let radius = ((self.module * 6.0) as usize).max(4);
                    let dark = binarise(w, self.height, &self.luma, radius);
                    rqrr::PreparedImage::prepare_from_bitmap(w, self.height, |x, y| {
                        dark.get(y * w + x).copied().unwrap_or(false)
                    })
                };
                let codes: Vec<CropCode> = image
                    .detect_grids()
                    .iter()
                    .map(|grid| self.code(grid.bounds, grid.decode().ok().map(|(_, t)| t)))
                    .collect();
                if codes.iter().any(|code| code.text.is_some()) {
                    return codes;
                }
                if best.is_empty() {
                    best = codes;
                }
            }
            best
        })
        .map_err(|_| ())
    }

    /// A grid rqrr found, its bounds taken from crop to frame coordinates.
    fn code(&self, bounds: [rqrr::Point; 4], text: Option<String>) -> CropCode {
        let to_frame = |p: rqrr::Point| {
            (
                self.origin.0 + f64::from(p.x) * self.scale,
                self.origin.1 + f64::from(p.y) * self.scale,
            )
        };
        let [a, b, c, d] = bounds.map(to_frame);
        let center = ((a.0 + c.0) / 2.0, (a.1 + c.1) / 2.0);
        let radius = (a.0 - c.0)
            .hypot(a.1 - c.1)
            .max((b.0 - d.0).hypot(b.1 - d.1))
            / 2.0;
        CropCode {
            center,
            radius,
            text,
        }
    }
}
