/**
 * `npm run bench`: measures, prints one table (each figure with the ratio it is judged by) and
 * writes the same as JSON for comparing commits. Not part of `npm test`.
 *
 *   node dist/bench/main.js [--out bench/last.json] [--only raw-pty,at,paced,...] [--quick]
 */
import { Command, InvalidArgumentError } from 'commander';
import type { Figure } from './lib/figures.js';
import { currentCommit, describeMachine, formatTable, writeReport } from './lib/report.js';
import { SUITES } from './suites/index.js';
import type { BenchContext, BenchOptions } from './suites/types.js';

interface CliOptions {
  out: string;
  only?: string;
  quick?: boolean;
  rawMib: number;
  driverMib: number;
  roundTrips: number;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function benchOptions(cli: CliOptions): BenchOptions {
  if (cli.quick) {
    // A smoke run (seconds): same code paths, figures too short to judge by.
    return {
      rawBytes: 2 * 1024 * 1024,
      pacedBytes: { 115200: 16 * 1024, 921600: 64 * 1024 },
      roundTrips: 200,
      warmup: 20,
      driverBytes: 1024 * 1024,
      driverPacedBytes: { 115200: 8 * 1024, 921600: 32 * 1024 },
      connects: 20,
      datagrams: 200,
      httpRequests: 30,
      fleet: { modules: 8, links: 5, seconds: 3 },
    };
  }
  return {
    rawBytes: cli.rawMib * 1024 * 1024,
    // 1 MiB at 921600 (≈ 11 s) as issue 6 says; 256 KiB at 115200 (≈ 23 s) rather than 1 MiB (≈ 91 s).
    pacedBytes: { 115200: 256 * 1024, 921600: 1024 * 1024 },
    roundTrips: cli.roundTrips,
    warmup: 200,
    driverBytes: cli.driverMib * 1024 * 1024,
    // Through the driver: each direction in both modes, so 8 transfers per rate; 128 KiB at 115200 is ≈ 11 s each.
    driverPacedBytes: { 115200: 128 * 1024, 921600: 1024 * 1024 },
    connects: 300,
    datagrams: 2000,
    httpRequests: 300,
    fleet: { modules: 64, links: 5, seconds: 10 },
  };
}

async function main(): Promise<void> {
  const program = new Command()
    .name('copro-bench')
    .option('--out <file>', 'where the JSON report goes', 'bench/last.json')
    .option('--only <ids>', `comma-separated suites (${SUITES.map((suite) => suite.id).join(', ')})`)
    .option('--quick', 'small sizes: a smoke run, not figures to judge by')
    .option('--raw-mib <n>', 'MiB each way for raw PTY throughput', positiveInt, 16)
    .option('--driver-mib <n>', 'MiB each way for unthrottled TCP goodput through the driver', positiveInt, 16)
    .option('--round-trips <n>', 'measured round trips for ping-pong and AT', positiveInt, 2000)
    .parse(process.argv);
  const cli = program.opts<CliOptions>();
  const options = benchOptions(cli);
  const asked = cli.only?.split(',').map((id) => id.trim());
  const unknown = asked?.filter((id) => !SUITES.some((suite) => suite.id === id)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown suite(s): ${unknown.join(', ')}`);
  // A ratio needs its baseline from the same run: suites a wanted one is judged against run too.
  const wanted = asked && [...asked, ...SUITES.filter((suite) => asked.includes(suite.id)).flatMap((suite) => suite.needs ?? [])];

  const figures: Figure[] = [];
  const context: BenchContext = {
    options,
    figure: (id) => figures.find((figure) => figure.id === id),
    log: (text) => process.stderr.write(`bench: ${text}\n`),
  };
  for (const suite of SUITES) {
    if (wanted && !wanted.includes(suite.id)) continue;
    context.log(`— ${suite.title}`);
    figures.push(...(await suite.run(context)));
  }

  const machine = describeMachine();
  const command = `npm run bench --${process.argv.slice(2).length > 0 ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
  process.stdout.write(`${formatTable(figures)}\n\n`);
  for (const figure of figures) if (figure.detail) process.stdout.write(`${figure.id}: ${figure.detail}\n`);
  process.stdout.write(`\nmachine: ${machine.nproc} × ${machine.cpu}, Node ${machine.node}, ${machine.platform}\n`);
  await writeReport(cli.out, { command, commit: currentCommit(), date: new Date().toISOString(), machine, figures });
  process.stdout.write(`written: ${cli.out}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
