import { chooseVariants, readOptions } from './options.js';
import { type Variant, VARIANTS } from './variants.js';

/**
 * The command line of the scripts that run each chosen variant alone, one
 * after the other (`bench/gc-cost.ts`, `bench/ic-misses.ts`,
 * `bench/promises.ts`): options are
 * taken out of `args` by name, and whatever is left are variant names.
 */
export class SingleVariantArgs {
  private readonly args: string[];

  constructor(args: readonly string[]) {
    this.args = [...args];
  }

  /** Removes `flag` and the value after it, and gives the value. */
  option(flag: string): string | undefined {
    const at = this.args.indexOf(flag);
    if (at === -1) return undefined;
    const [, value] = this.args.splice(at, 2);
    if (value === undefined || value.startsWith('--')) throw new Error(`${flag} takes a value`);
    return value;
  }

  /** Removes `flag`, and says whether it was there. */
  flag(flag: string): boolean {
    const at = this.args.indexOf(flag);
    if (at !== -1) this.args.splice(at, 1);
    return at !== -1;
  }

  /** A whole number of at least `min` given with `flag`, or `fallback`. */
  count(flag: string, fallback: number, min: number): number {
    const value = Number(this.option(flag) ?? fallback);
    if (!Number.isInteger(value) || value < min) throw new Error(`${flag} takes a whole number of at least ${min.toLocaleString('en')}`);
    return value;
  }

  /**
   * Once every option has been taken: the variants named and those they are
   * compared with, as `npm run bench -- --only` chooses them (unknown names
   * fail there); without names, every Nest variant that needs no
   * redis-server. An option left over is a mistake, and so is a Redis variant
   * (no redis-server is started) or one that is no Nest app.
   */
  variants(options: string): Variant[] {
    const unknown = this.args.find((arg) => arg.startsWith('-'));
    if (unknown) throw new Error(`Unknown option ${unknown}; the options are ${options}`);
    const names = this.args;
    const choice = chooseVariants(VARIANTS, readOptions(names.length > 0 ? ['--only', names.join(',')] : [], VARIANTS));
    if (names.length === 0) return choice.filter((variant) => variant.module && !variant.redis);
    const refused = choice.find((variant) => !variant.module || variant.redis);
    if (refused?.redis) throw new Error(`${refused.name} needs a redis-server, which this script does not start: leave it out`);
    if (refused) throw new Error(`${refused.name} is no Nest app: its figures say nothing of the module`);
    return choice;
  }
}
