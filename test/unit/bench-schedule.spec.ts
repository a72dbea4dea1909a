import { planRound } from '../../bench/schedule.js';

const VARIANTS = [
  { name: 'baseline' },
  { name: 'ajax', comparedWith: 'baseline' },
  { name: 'messages', comparedWith: 'baseline' },
  { name: 'cookie', comparedWith: 'messages' },
  { name: 'nest-403' },
  { name: 'auth-401', comparedWith: 'nest-403' },
  { name: 'alone' },
];

describe('the benchmark\'s rounds (planRound)', () => {
  it('loads each compared variant between two loads of its reference', () => {
    expect(planRound(VARIANTS, 1).loads).toEqual([
      'baseline', 'ajax', 'baseline', 'messages', 'baseline',
      'messages', 'cookie', 'messages',
      'nest-403', 'auth-401', 'nest-403',
      'alone',
    ]);
  });

  it('points each comparison at the loads around it', () => {
    const { loads, sandwiches } = planRound(VARIANTS, 1);
    expect(sandwiches).toHaveLength(4);
    for (const s of sandwiches) {
      const reference = VARIANTS.find((v) => v.name === s.name)!.comparedWith;
      expect([loads[s.beforeAt], loads[s.at], loads[s.afterAt]]).toEqual([reference, s.name, reference]);
      expect([s.at - s.beforeAt, s.afterAt - s.at]).toEqual([1, 1]);
    }
  });

  it('gives the compared variants each place in turn, round after round', () => {
    const firstAfterBaseline = [1, 2, 3].map((round) => planRound(VARIANTS, round).loads[1]);
    expect(firstAfterBaseline).toEqual(['ajax', 'messages', 'ajax']);
  });

  it('loads a variant whose reference is not in the run once, alone', () => {
    expect(planRound([{ name: 'ajax', comparedWith: 'baseline' }], 1)).toEqual({ loads: ['ajax'], sandwiches: [] });
  });
});
