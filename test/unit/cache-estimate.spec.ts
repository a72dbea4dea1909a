import { readTotals, simulatedPerRequest } from '../../bench/cache-estimate.js';

const DUMP = `# callgrind format
version: 1
positions: line
events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw Bc Bcm Bi Bim
summary: 0

fn=(1) f
0 10 4 2 1 1 0 0 1 0 3 1 0 0
totals: 1000 300 100 20 10 5 1 2 0 150 12 30 3
`;

describe('the simulated cache estimate (bench/cache-estimate.ts)', () => {
  it('reads the totals by event name', () => {
    expect(readTotals(DUMP)).toMatchObject({ Ir: 1000, Dr: 300, I1mr: 20, DLmr: 2, Bim: 3 });
  });

  it('weighs L1 hits 1, LL hits 5 and memory 35, per request', () => {
    // 1,400 accesses, 35 L1 misses of which 3 went to memory: 1,365 + 5 × 32 + 35 × 3.
    expect(simulatedPerRequest(readTotals(DUMP), 10)).toEqual({ instructions: 100, l1Misses: 3.5, llMisses: 0.3, mispredicted: 1.5, cycles: 163 });
  });

  it('refuses a dump written without the simulation', () => {
    const plain = 'events: Ir\ntotals: 1000\n';
    expect(() => simulatedPerRequest(readTotals(plain), 1)).toThrow(/--cache-sim=yes/);
  });
});
