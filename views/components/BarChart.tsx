export interface BarDatum {
  /** What the bar stands for, as shown to people (a day, a month, a name). */
  label: string;
  value: number;
}

export interface BarChartProps {
  /** Prefix for element ids, unique on the page. */
  id: string;
  title: string;
  data: BarDatum[];
  /** What is counted, plural: "sign-ups". */
  unit: string;
  /** The heading of the label column in the data table: "Day". */
  labelHeading: string;
  width?: number;
  height?: number;
}

const MARGIN = { top: 12, right: 8, bottom: 24, left: 36 };

/** One sentence a screen reader reads instead of the picture. */
export function chartSummary(props: Pick<BarChartProps, "title" | "data" | "unit">): string {
  const { data, unit } = props;
  if (data.length === 0) return `${props.title}: no data.`;
  const total = data.reduce((sum, d) => sum + d.value, 0);
  const span = `from ${data[0]!.label} to ${data[data.length - 1]!.label}`;
  if (total === 0) return `${props.title}: no ${unit} ${span}.`;
  const peak = data.reduce((best, d) => (d.value > best.value ? d : best), data[0]!);
  return `${props.title}: ${total} ${unit} ${span}; the most, ${peak.value}, on ${peak.label}.`;
}

/** A readable top for the axis: the largest value rounded up to 1, 2 or 5 times a power of ten. */
function niceMax(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/**
 * A bar chart drawn on the server as SVG, with no script and no style attributes (the CSP forbids
 * inline styles): colours come from presentation attributes and classes in app.css. The same
 * numbers are in a table under a disclosure, for anyone who cannot or would rather not read a chart.
 */
export function BarChart(props: BarChartProps) {
  const width = props.width ?? 640;
  const height = props.height ?? 200;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const top = niceMax(Math.max(0, ...props.data.map((d) => d.value)));
  const slot = props.data.length ? plotWidth / props.data.length : plotWidth;
  const barWidth = Math.max(1, slot * 0.7);
  const baseline = MARGIN.top + plotHeight;
  const yOf = (value: number) => baseline - (value / top) * plotHeight;
  // Counts are whole numbers, so the middle line is drawn only where it falls on one.
  const ticks = top % 2 === 0 ? [0, top / 2, top] : [0, top];
  const labelled = new Set([0, Math.floor((props.data.length - 1) / 2), props.data.length - 1]);
  const summary = chartSummary(props);
  const round = (n: number) => Math.round(n * 100) / 100;

  return (
    <figure class="bar-chart" id={props.id}>
      <svg
        role="img"
        aria-label={summary}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        preserveAspectRatio="xMidYMid meet"
        xmlns="http://www.w3.org/2000/svg"
      >
        <title>{props.title}</title>
        {ticks.map((tick) => (
          <g class="tick">
            <line class="grid-line" x1={MARGIN.left} x2={width - MARGIN.right} y1={round(yOf(tick))} y2={round(yOf(tick))} stroke="#d9dde7" stroke-width="1" />
            <text class="axis-label" x={MARGIN.left - 6} y={round(yOf(tick) + 4)} text-anchor="end" font-size="11" fill="#5a6275">
              {String(tick)}
            </text>
          </g>
        ))}
        {props.data.map((d, i) =>
          d.value > 0 ? (
            <rect
              class="bar"
              x={round(MARGIN.left + i * slot + (slot - barWidth) / 2)}
              y={round(yOf(d.value))}
              width={round(barWidth)}
              height={round(baseline - yOf(d.value))}
              fill="#2f5bea"
            >
              <title>{`${d.label}: ${d.value}`}</title>
            </rect>
          ) : null,
        )}
        {props.data.map((d, i) =>
          labelled.has(i) ? (
            <text class="axis-label" x={round(MARGIN.left + i * slot + slot / 2)} y={height - 6} text-anchor="middle" font-size="11" fill="#5a6275">
              {d.label}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption>
        <details>
          <summary>{`${props.title} as a table`}</summary>
          <table class="data-table compact">
            <thead>
              <tr>
                <th scope="col">{props.labelHeading}</th>
                <th scope="col" class="numeric">{props.unit[0]!.toUpperCase() + props.unit.slice(1)}</th>
              </tr>
            </thead>
            <tbody>
              {props.data.map((d) => (
                <tr>
                  <th scope="row">{d.label}</th>
                  <td class="numeric">{String(d.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  );
}
