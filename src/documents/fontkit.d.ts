/** fontkit ships no types; pdfkit accepts the font objects it creates (anything with `layout`). */
declare module 'fontkit' {
  export interface FontkitFont {
    postscriptName: string;
    layout(text: string): unknown;
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export function create(buffer: Buffer | Uint8Array, postscriptName?: string): FontkitFont;
}
