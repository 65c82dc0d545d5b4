/** A decorative bar pattern derived from the serial, as a printed slip carries; the digits are printed below it. */
export function Barcode({ value }: { value: string }) {
  const bars: { x: number; w: number }[] = [];
  let x = 0;
  for (const char of `*${value}*`) {
    const code = char.charCodeAt(0);
    for (let bit = 0; bit < 6; bit++) {
      const w = (code >> bit) & 1 ? 3 : 1;
      if (bit % 2 === 0) bars.push({ x, w });
      x += w + 1;
    }
  }
  return (
    <svg
      className="barcode"
      viewBox={`0 0 ${x} 40`}
      preserveAspectRatio="none"
      aria-hidden="true"
      focusable="false"
    >
      {bars.map((b) => (
        <rect key={b.x} x={b.x} y={0} width={b.w} height={40} />
      ))}
    </svg>
  );
}
