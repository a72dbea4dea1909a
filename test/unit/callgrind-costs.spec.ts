import { byPart, isCollector, isCompiler, JitNames, readDump } from '../../bench/callgrind-costs.js';

// A dump as callgrind writes it (compressed names and positions), small enough to add up by hand.
const DUMP = `# callgrind format
version: 1
positions: line
events: Ir
summary: 0

ob=(1) /usr/bin/node
fl=(1) ???
fn=(1) v8::internal::Scavenger::Process(v8::JobDelegate*)
0 500

fn=(2) handleRequest
0 100
+2 20
cob=(1)
cfi=(1)
cfn=(3) v8::internal::LookupIterator::Next()
calls=4 0
0 7000
* 5

fn=(3)
0 30
-1 40

fn=(4) v8::internal::compiler::GraphReducer::ReduceTop()
0 900

fn=(5) 0x000000000d17d0c0
0 11

fn=(6) 0x000000000d17d0c0'2
0 4

fn=(7) 0x0000000000000010
0 2

fn=(8) v8::internal::Heap::AllocateRawWithRetryOrFailSlowPath(int)
0 3
cfn=(9) v8::internal::Heap::CollectGarbage(v8::internal::AllocationSpace)
calls=1 0
0 1000

fn=(9)
0 200
cfn=(1)
calls=1 0
0 500
cfn=(10) __memcpy_avx_unaligned_erms
calls=3 0
0 300

fn=(10)
0 300
`;

describe('callgrind dumps (bench/instructions.ts)', () => {
  it('adds up what each function ran itself, leaving out what its calls cost in all', () => {
    const costs = readDump(DUMP).self;
    expect(costs.get('handleRequest')).toBe(125);
    // Named first after cfn=, then used as fn=(3) alone.
    expect(costs.get('v8::internal::LookupIterator::Next()')).toBe(70);
    expect(costs.get('v8::internal::Scavenger::Process(v8::JobDelegate*)')).toBe(500);
  });

  it('counts the collector from where a collection starts, whatever its functions are named', () => {
    // The collection, called from an allocation (1,000 in all): its own 200, the scavenger's 500 and a memcpy's 300 below
    // it, a function of the requests' name. All of it is the collector's; the requests keep what ran outside it.
    expect(byPart(readDump(DUMP))).toEqual({ gc: 1000, compile: 900, requests: 125 + 70 + 11 + 4 + 2 + 3 });
  });

  it('tells the collector and the compilers by name', () => {
    expect(isCollector('v8::internal::Scavenger::Process(v8::JobDelegate*)')).toBe(true);
    expect(isCollector('heap::base::SlotCallbackResult v8::internal::Scavenger::ScavengeObject<v8::internal::FullHeapObjectSlot>(v8::internal::FullHeapObjectSlot)')).toBe(true);
    expect(isCollector('v8::internal::Heap::NotifyObjectSizeChange(v8::internal::HeapObject, int, int)')).toBe(false);
    expect(isCollector('v8::internal::(anonymous namespace)::IterateObjectCache(v8::internal::Isolate*, std::vector<v8::internal::Tagged<v8::internal::Object> >*)')).toBe(true);
    expect(isCollector('v8::internal::SerializerDeserializer::IterateStartupObjectCache(v8::internal::Isolate*, v8::internal::RootVisitor*)')).toBe(true);
    expect(isCompiler('v8::internal::compiler::GraphReducer::ReduceTop()')).toBe(true);
    expect(isCompiler('v8::internal::RegExpImpl::IrregexpExec(v8::internal::Isolate*)')).toBe(false);
    expect(isCompiler('Builtins_LoadIC_Megamorphic')).toBe(false);
  });

  it('reads the instructions from the column the events: line names', () => {
    const dump = ['positions: instr line', 'events: Dr Ir', 'fn=(1) f', '0x10 4 7 100', '+3 1 2 20'].join('\n');
    expect(readDump(dump).self.get('f')).toBe(120);
    expect(() => readDump('events: Dr\nfn=(1) f\n0 1\n')).toThrow('no Ir event');
  });

  it('names run-time code from the perf map, the newest code at an address first, one name for every tier', () => {
    const names = new JitNames(
      ['d17d000 200 JS:~handle file:///app/a.js:1:1', 'd17d080 100 JS:*handle file:///app/a.js:1:1', "d17e000 10 JS:'handle file:///app/a.js:1:1", 'not a line'].join('\n'),
    );
    expect(names.nameAt(0xd17e004)).toBe('JS:handle file:///app/a.js:1:1');
    expect(names.nameAt(0xd17d0c0)).toBe('JS:handle file:///app/a.js:1:1');
    expect(names.nameAt(0xd17d010)).toBe('JS:handle file:///app/a.js:1:1');
    expect(names.nameAt(0xd17d200)).toBeUndefined();
    const renamed = names.rename(readDump(DUMP).self);
    // The code at 0xd17d0c0, recursion or not, under its function's name.
    expect(renamed.get('JS:handle file:///app/a.js:1:1')).toBe(15);
    expect(renamed.get('JIT code of no known function')).toBe(2);
  });

  it('refuses a dump it cannot read rather than count it wrong', () => {
    expect(() => readDump('events: Ir\nfn=(9)\n0 1\n')).toThrow('used before it is named');
    expect(() => readDump('events: Ir\n0 1\n')).toThrow('before any fn= line');
    expect(() => readDump('fn=(1) f\n0 1\n')).toThrow('before the events: line');
  });
});
