using Vta.Hardware.Isa;

namespace Vta.Sim.Timing;

public sealed partial class TimingScheduler
{
    /// <summary>A module's steps for one instruction, in order.</summary>
    private enum Phase
    {
        Take,
        PopPrev,
        PopNext,
        Work,
        PushPrev,
        PushNext,
    }

    /// <summary>One unit's clock, position and accounts. Fields, so waits can charge them by reference.</summary>
    private sealed class UnitState(string name, PipelineModule? module, int[] indices)
    {
        public readonly string Name = name;
        public readonly int[] Indices = indices;
        public readonly int[] Queues = module is { } m
            ? [-1, Q(PipelineRouting.PopPrevQueue(m)), Q(PipelineRouting.PopNextQueue(m)), -1, Q(PipelineRouting.PushPrevQueue(m)), Q(PipelineRouting.PushNextQueue(m))]
            : [];

        public long Time;
        public long Busy;
        public long StalledOnToken;
        public long StalledOnQueueFull;
        public long Idle;
        public int Position;
        public int Dispatched;
        public int Taken;
        public Phase Phase;
        public string BlockedOn = "";

        public bool Done => Position >= Indices.Length;

        public int Queue(Phase phase) => Queues[(int)phase];

        private static int Q(TokenQueue? q) => q is { } v ? (int)v : -1;
    }

    /// <summary>A dependency queue: the time of every push and pop so far (the k-th pop takes the k-th token).</summary>
    private sealed class QueueState(int pushes, int pops)
    {
        public readonly long[] PushTimes = new long[pushes];
        public readonly long[] PopTimes = new long[pops];
        public int Pushed;
        public int Popped;
        public int LastPusher = -1;
    }

    private sealed class RunState
    {
        public RunState(IReadOnlyList<Instruction> program, long insnAddr)
        {
            Program = program;
            InsnAddr = insnAddr;
            int n = program.Count;
            UnitOf = new byte[n];
            Seq = new int[n];
            Dispatch = new long[n];
            Take = new long[n];
            Start = new long[n];
            End = new long[n];
            var perUnit = new int[UnitCount];
            var pushes = new int[4];
            var pops = new int[4];
            for (int i = 0; i < n; i++)
            {
                var insn = program[i];
                var module = PipelineRouting.ModuleOf(insn);
                int u = (int)module + 1;
                UnitOf[i] = (byte)u;
                Seq[i] = perUnit[u]++;
                Count(insn.PopPrev, PipelineRouting.PopPrevQueue(module), pops);
                Count(insn.PopNext, PipelineRouting.PopNextQueue(module), pops);
                Count(insn.PushPrev, PipelineRouting.PushPrevQueue(module), pushes);
                Count(insn.PushNext, PipelineRouting.PushNextQueue(module), pushes);
            }

            var indices = new int[UnitCount][];
            for (int u = 0; u < UnitCount; u++)
            {
                indices[u] = new int[perUnit[u]];
            }

            for (int i = 0; i < n; i++)
            {
                indices[UnitOf[i]][Seq[i]] = i;
            }

            Units = new UnitState[UnitCount];
            Units[Fetch] = new UnitState("fetch", null, []);
            foreach (var m in Enum.GetValues<PipelineModule>())
            {
                Units[(int)m + 1] = new UnitState(PipelineRouting.Name(m), m, indices[(int)m + 1]);
            }

            Queues = [.. Enumerable.Range(0, 4).Select(q => new QueueState(pushes[q], pops[q]))];
        }

        public IReadOnlyList<Instruction> Program { get; }

        public long InsnAddr { get; }

        /// <summary>The unit (1 load, 2 compute, 3 store) of each instruction and its place in that unit's queue.</summary>
        public byte[] UnitOf { get; }

        public int[] Seq { get; }

        public long[] Dispatch { get; }

        public long[] Take { get; }

        public long[] Start { get; }

        public long[] End { get; }

        public UnitState[] Units { get; }

        public QueueState[] Queues { get; }

        public int Fetched { get; set; }

        /// <summary>First instruction past the batch fetch has read.</summary>
        public int BatchEnd { get; set; }

        public long[] KindCount { get; } = new long[Enum.GetValues<InsnKind>().Length];

        public long[] KindCycles { get; } = new long[Enum.GetValues<InsnKind>().Length];

        public long GemmUseful { get; set; }

        private static void Count(bool flag, TokenQueue? q, int[] counts)
        {
            if (flag && q is { } v)
            {
                counts[(int)v]++;
            }
        }
    }
}
