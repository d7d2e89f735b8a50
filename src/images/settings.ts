/**
 * The `images:` setting: which widths photos are resized to, in which formats, at what quality,
 * and the `sizes` the theme's column needs. `images: false` leaves every image as written.
 */
import { ConfigError } from '../pipeline/errors.js';
import { yamlBoolean } from '../util/yaml.js';

export interface ImageSettings {
  /** false: images are left as written (a Jekyll site's default: its output stays Jekyll's). */
  enabled: boolean;
  /** Widths in pixels of the resized copies (never wider than the photo). */
  widths: number[];
  /** AVIF copies too (smaller than WebP, but several times slower to encode). */
  avif: boolean;
  /** Encoder quality, 1–100, for JPEG, WebP and AVIF. */
  quality: number;
  /** The `sizes` attribute of a resized image: how wide the theme shows it. */
  sizes: string;
}

/** The default theme's column: 44rem wide less 1.25rem padding each side, the window less that padding on a phone. */
export const DEFAULT_IMAGE_SETTINGS: ImageSettings = {
  enabled: true,
  widths: [480, 960, 1600],
  avif: false,
  quality: 75,
  sizes: '(min-width: 44rem) 41.5rem, calc(100vw - 2.5rem)',
};

const KEYS = ['widths', 'avif', 'quality', 'sizes'] as const;

/** `images:` as written in `file`: false, true, or a mapping of the keys above. */
export function readImageSettings(file: string, value: unknown, at: { line?: number }): ImageSettings {
  const flag = yamlBoolean(value);
  if (flag !== undefined) return { ...DEFAULT_IMAGE_SETTINGS, enabled: flag };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(file, `"images" must be false, true, or keys among ${KEYS.join(', ')} (images: { widths: [480, 960, 1600] })`, at);
  }
  const settings = { ...DEFAULT_IMAGE_SETTINGS };
  for (const [key, setting] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'widths') {
      const widths = Array.isArray(setting) ? setting : [setting];
      if (widths.length === 0 || widths.length > 10 || !widths.every((w) => Number.isInteger(w) && (w as number) >= 16 && (w as number) <= 8000)) {
        throw new ConfigError(file, '"images.widths" must be a list of 1 to 10 whole numbers of pixels between 16 and 8000, such as [480, 960, 1600]', at);
      }
      settings.widths = [...new Set(widths as number[])].sort((a, b) => a - b);
    } else if (key === 'avif') {
      const avif = yamlBoolean(setting);
      if (avif === undefined) throw new ConfigError(file, '"images.avif" must be true or false', at);
      settings.avif = avif;
    } else if (key === 'quality') {
      if (!Number.isInteger(setting) || (setting as number) < 1 || (setting as number) > 100) {
        throw new ConfigError(file, '"images.quality" must be a whole number from 1 to 100', at);
      }
      settings.quality = setting as number;
    } else if (key === 'sizes') {
      if (typeof setting !== 'string' || setting.trim() === '') throw new ConfigError(file, '"images.sizes" must be a sizes attribute, such as "(min-width: 44rem) 41.5rem, 100vw"', at);
      settings.sizes = setting.trim();
    } else {
      throw new ConfigError(file, `unknown key "images.${key}"; the keys are: ${KEYS.join(', ')}`, at);
    }
  }
  return settings;
}
