/** A scanned page as the image detectors see it (checkboxes, ruled tables): one grey level per pixel. */
export interface GreyImage {
  width: number;
  height: number;
  /** 0 black .. 255 white, row by row. */
  grey: Uint8Array;
}
