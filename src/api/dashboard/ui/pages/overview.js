// Overview: the chain head, epoch, validators online, stake and supply, and block time and tx/s charts.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { ErrorLine, formatAmount, html, useApi } from '../lib.js';

/** Block interval (s) and transactions per second over the series' blocks, against block time. */
function chartData(series) {
  const points = series.filter((p) => p.interval_ms !== null && p.interval_ms > 0);
  return [
    points.map((p) => p.time / 1000),
    points.map((p) => p.interval_ms / 1000),
    points.map((p) => p.txs / (p.interval_ms / 1000)),
  ];
}

/** A uPlot chart that follows its container's width and takes new data in place. */
function Chart({ series }) {
  const box = useRef(null);
  const plot = useRef(null);
  useEffect(() => {
    const opts = {
      width: box.current.clientWidth,
      height: 220,
      series: [
        {},
        { label: 'block time (s)', stroke: '#2563eb', width: 2 },
        { label: 'tx/s', stroke: '#16a34a', width: 2, scale: 'tps' },
      ],
      axes: [{}, { label: 's' }, { side: 1, scale: 'tps', label: 'tx/s', grid: { show: false } }],
    };
    plot.current = new uPlot(opts, chartData(series), box.current);
    const resize = () => plot.current.setSize({ width: box.current.clientWidth, height: 220 });
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      plot.current.destroy();
    };
  }, []);
  useEffect(() => {
    plot.current?.setData(chartData(series));
  }, [series]);
  return html`<div class="chart" ref=${box}></div>`;
}

const Stat = ({ label, value, id }) =>
  html`<div class="stat"><span class="label">${label}</span><span class="value" data-testid=${id}>${value}</span></div>`;

/** The overview page; refetches when the live head (`tick`) moves. */
export function OverviewPage({ tick }) {
  const { data, error } = useApi('overview?window=100', tick);
  if (!data) return html`<${ErrorLine} error=${error} /><p class="loading">Loading…</p>`;
  const token = data.token;
  const intervals = data.series.filter((p) => p.interval_ms !== null);
  const avg = intervals.length
    ? intervals.reduce((s, p) => s + p.interval_ms, 0) / intervals.length / 1000
    : 0;
  return html`
    <h1>Overview</h1>
    <${ErrorLine} error=${error} />
    <section class="stats">
      <${Stat} label="Height" value=${data.height} id="height" />
      <${Stat} label="Epoch" value=${data.epoch} id="epoch" />
      <${Stat} label="Avg block time" value=${`${avg.toFixed(2)} s`} id="block-time" />
      <${Stat} label="Validators online" value=${`${data.validators.online} / ${data.validators.total}`} id="validators" />
      <${Stat} label="Total staked" value=${formatAmount(data.total_staked, token, 0)} id="total-staked" />
      <${Stat} label="Total supply" value=${formatAmount(data.total_supply, token, 0)} id="total-supply" />
    </section>
    <h2>Block time and throughput (last ${data.series.length} blocks)</h2>
    <${Chart} series=${data.series} />
    <p class="muted">Chain context <code class="wrap">${data.chain_context}</code></p>
  `;
}
