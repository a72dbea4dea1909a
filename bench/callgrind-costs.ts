/**
 * Reading what valgrind's callgrind wrote, for `bench/instructions.ts`: the
 * instructions each function ran itself (its "self" cost), by name, and
 * what the calls into V8's garbage collector cost in all.
 */

/** Instructions run by each function itself, by the function's name. */
export type SelfCosts = Map<string, number>;

/** One callgrind dump read: each function's own instructions, and the instructions of the calls between functions. */
export interface Dump {
  self: SelfCosts;
  /** Every call site's callee and what its calls cost in all (the callee and everything below it). */
  calls: { caller: string; callee: string; instructions: number }[];
}

/** A name given once as `(id) name` and later as `(id)` alone, as callgrind compresses them. */
const NAMED = /^(?:\((\d+)\))?\s*(.*)$/;

/**
 * Reads one callgrind dump. A cost line after `fn=` is the function's own;
 * the one line after a `calls=` line is what that call cost in all,
 * already counted where it ran, so it goes to `calls` only. The instruction
 * count is the column `events:` names `Ir`, after the `positions:` columns.
 * Compressed names (`fn=(12) name`, later `fn=(12)`) are read back, whether
 * first given after `fn=` or after `cfn=`.
 */
export function readDump(text: string): Dump {
  const names = new Map<string, string>();
  const self: SelfCosts = new Map();
  const calls: Dump['calls'] = [];
  const nameOf = (value: string): string => {
    const [, id, name] = NAMED.exec(value)!;
    if (id === undefined) return name;
    if (name) names.set(id, name);
    const known = names.get(id);
    if (known === undefined) throw new Error(`callgrind dump: function (${id}) used before it is named`);
    return known;
  };
  let positions = 1;
  let column: number | undefined;
  let current: string | undefined;
  let callee: string | undefined;
  let callCostNext = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('positions:')) {
      positions = line.slice('positions:'.length).trim().split(/\s+/).length;
    } else if (line.startsWith('events:')) {
      const at = line.slice('events:'.length).trim().split(/\s+/).indexOf('Ir');
      if (at === -1) throw new Error(`callgrind dump: no Ir event in "${line}"`);
      column = positions + at;
    } else if (line.startsWith('fn=')) {
      current = nameOf(line.slice(3));
    } else if (line.startsWith('cfn=')) {
      callee = nameOf(line.slice(4));
    } else if (line.startsWith('calls=')) {
      callCostNext = true;
    } else if (/^[\d+*-]/.test(line)) {
      if (column === undefined) throw new Error('callgrind dump: a cost line before the events: line');
      if (current === undefined) throw new Error('callgrind dump: a cost line before any fn= line');
      const instructions = Number(line.trim().split(/\s+/)[column] ?? 0);
      if (!Number.isFinite(instructions)) throw new Error(`callgrind dump: not a cost line: ${line}`);
      if (callCostNext) {
        callCostNext = false;
        if (callee === undefined) throw new Error('callgrind dump: a calls= line with no cfn= before it');
        calls.push({ caller: current, callee, instructions });
      } else {
        self.set(current, (self.get(current) ?? 0) + instructions);
      }
    }
  }
  return { self, calls };
}

/** What a function's instructions are part of: the garbage collector, V8's compilers, or the requests' own work. */
export type Part = 'gc' | 'compile' | 'requests';

/**
 * Where V8's garbage collector starts: a collection (young or full), a step
 * of incremental marking, or a task of the collector's. Everything these
 * calls run, whatever its name (`memcpy` while evacuating, weak callbacks),
 * is the collector's.
 */
const GC_ENTRY = /^v8::internal::(Heap::(CollectGarbage|CollectAllGarbage|CollectAllAvailableGarbage|PreciseCollectAllGarbage|FinalizeIncrementalMarkingAtomically|StartIncrementalMarking)|IncrementalMarking::(\w+::)?(Step|AdvanceAndFinalizeIfComplete|AdvanceOnAllocation|AdvanceForTesting)|IncrementalMarkingJob::Task::RunInternal|ScavengeJob::Task::RunInternal|MinorGCJob|MemoryReducer::TimerTask|(.*)Sweeper::.*Task::Run)\b/;

/** The collector's own functions, by name: a call into an entry from one of these is inside a collection already, not the start of one. */
const GC_INSIDE = /^(void |auto |heap::base::\S+ )?(v8::internal::(\S*(Scaveng|Marking|MarkCompact|MinorMS|Sweep|Evacuat|Compactor|RecordMigratedSlot|LiveObject|MemoryReducer|GCTracer|IncrementalMarking)|Heap::(CollectGarbage|PerformGarbageCollection|GarbageCollectionPrologue|GarbageCollectionEpilogue))|heap::base::|cppgc::)/;

/** V8's compilers (Sparkplug, Maglev, Turbofan), the parser, the bytecode generator, the assemblers and the regular-expression compiler: work that ends once the code is warm. */
const COMPILE = /^(\S+ )?v8::internal::(compiler::|maglev::|baseline::|interpreter::(BytecodeGenerator|BytecodeArrayBuilder|BytecodeArrayWriter|ConstantArrayBuilder)|Parser|PreParser|Scanner|AstValueFactory|Compiler::|OptimizingCompileDispatcher|Assembler|MacroAssembler|TurboAssembler|Zone|RegExpCompiler|RegExpParser|RegExpBytecodeGenerator|RegExpMacroAssembler)/;

/** Whether a function (by its demangled name) is part of V8's compilers. */
export const isCompiler = (name: string): boolean => COMPILE.test(name);

/**
 * The collector's visit of its roots, which a scavenge starts (`Heap::IterateRoots()`), down to the
 * startup object cache: its own name says nothing of the collector, and `--top` listed it on Node 24 as 4,457
 * instructions per request a route's own.
 */
const GC_ROOTS = /^v8::internal::(Heap::IterateRoots|SerializerDeserializer::Iterate\w*ObjectCache|\(anonymous namespace\)::IterateObjectCache)\b/;

/** Whether a function (by its demangled name) belongs to the garbage collector, as far as its name tells. */
export const isCollector = (name: string): boolean => GC_INSIDE.test(name) || GC_ENTRY.test(name) || GC_ROOTS.test(name);

/**
 * A dump's instructions by part. The collector's are what the calls into
 * it cost in all, counted where a collection starts (a call into an entry
 * from outside the collector), so that what it runs under any name is
 * its. The compilers' are their functions' own instructions (their
 * callees are mostly `malloc` and `memcpy`, a small part). The requests'
 * are the rest.
 */
export function byPart({ self, calls }: Dump): Record<Part, number> {
  let total = 0;
  let compile = 0;
  for (const [name, instructions] of self) {
    total += instructions;
    if (isCompiler(name)) compile += instructions;
  }
  let gc = 0;
  for (const { caller, callee, instructions } of calls) {
    if (GC_ENTRY.test(callee.replace(/'\d+$/, '')) && !isCollector(caller.replace(/'\d+$/, ''))) gc += instructions;
  }
  return { gc, compile, requests: total - gc - compile };
}

/** Machine code V8 wrote at run time, from the process's `--perf-basic-prof` map: where it starts, where it ends, and its name. */
interface JitCode {
  start: number;
  end: number;
  name: string;
  /** Its line in the map: where code was written twice at one address, the later wins. */
  line: number;
}

/**
 * Names for the code V8 compiled at run time, which callgrind can only call
 * by its address (`0x000000000d17d0c0`, with `'2` after it for a recursion).
 * `map` is `/tmp/perf-<pid>.map` as `--perf-basic-prof` writes it (`start
 * size name`, in hex). JavaScript functions lose their tier mark (`*`, `~`,
 * `^`, `+`, and `'` on Node 24), so one function's code at every tier adds
 * up under one name.
 */
export class JitNames {
  /** By start; the look-up searches it by halves. */
  private readonly codes: JitCode[] = [];

  constructor(map: string) {
    let line = 0;
    for (const text of map.split('\n')) {
      const match = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(text);
      if (!match) continue;
      const start = parseInt(match[1], 16);
      this.codes.push({ start, end: start + parseInt(match[2], 16), name: match[3].replace(/^JS:[*~^+']/, 'JS:'), line: line++ });
    }
    this.codes.sort((a, b) => a.start - b.start || a.line - b.line);
  }

  /** The name of the function whose code holds `address`, if the map has one: of several, the one written last. */
  nameAt(address: number): string | undefined {
    // The last code starting at or before the address; codes written over each other overlap, so look back through those that start earlier too.
    let low = 0;
    let high = this.codes.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.codes[middle].start <= address) low = middle + 1;
      else high = middle;
    }
    let found: JitCode | undefined;
    for (let at = low - 1; at >= 0 && at >= low - 64; at--) {
      const code = this.codes[at];
      if (address < code.end && (found === undefined || code.line > found.line)) found = code;
    }
    return found?.name;
  }

  /** `costs` with every address callgrind could not name given its function's name where the map has one. */
  rename(costs: SelfCosts): SelfCosts {
    const named: SelfCosts = new Map();
    for (const [name, instructions] of costs) {
      const address = /^0x([0-9a-f]+)(?:'\d+)?$/.exec(name)?.[1];
      const key = address === undefined ? name.replace(/'\d+$/, '') : (this.nameAt(parseInt(address, 16)) ?? 'JIT code of no known function');
      named.set(key, (named.get(key) ?? 0) + instructions);
    }
    return named;
  }
}
