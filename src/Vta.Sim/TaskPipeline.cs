using System.Runtime.CompilerServices;
using Vta.Hardware.Isa;

namespace Vta.Sim;

/// <summary>
/// The task-level pipeline of §4 without timing: fetch routes each instruction to the load, compute or store module;
/// each module runs its instructions strictly in order as pop prev → pop next → execute → push prev → push next, blocking
/// on an empty queue (pop) or a full one (push). Modules run in the fixed order load, compute, store, each until it
/// blocks, round after round, so a run is deterministic. Token queues start empty on every run.
/// </summary>
public sealed class TaskPipeline
{
    private readonly int[] _tokens = new int[4];
    private readonly int[] _lastPusher = new int[4];

    public TaskPipeline(int queueDepth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queueDepth, 1);
        QueueDepth = queueDepth;
    }

    /// <summary>Capacity of each dependency queue (the HLS design's FIFOs hold 1024).</summary>
    public int QueueDepth { get; }

    public int Tokens(TokenQueue q) => _tokens[(int)q];

    /// <summary>Runs the program; throws <see cref="VtaSimException"/> on a deadlock or on tokens left over.</summary>
    public void Run(IReadOnlyList<Instruction> program, Action<Instruction, int> execute)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(execute);
        Array.Clear(_tokens);
        Array.Fill(_lastPusher, -1);
        var modules = new[] { new ModuleState(PipelineModule.Load), new ModuleState(PipelineModule.Compute), new ModuleState(PipelineModule.Store) };
        for (int i = 0; i < program.Count; i++)
        {
            CheckFlags(program[i], i);
            modules[(int)PipelineRouting.ModuleOf(program[i])].Indices.Add(i);
        }

        bool progress = true;
        while (progress)
        {
            progress = false;
            foreach (var m in modules)
            {
                progress |= Advance(m, program, execute);
            }
        }

        if (modules.Any(m => !m.Done))
        {
            var blocked = modules.Where(m => !m.Done).ToList();
            throw new VtaSimException("deadlock: no module can make progress",
                blocked.Select(m => Describe(m, program)).ToList(), blocked.Min(m => m.Current));
        }

        var leftover = Enum.GetValues<TokenQueue>().Where(q => _tokens[(int)q] != 0).ToList();
        if (leftover.Count > 0)
        {
            throw new VtaSimException("tokens left over after every module finished: " + string.Join(", ",
                leftover.Select(q => $"{PipelineRouting.Name(q)} holds {_tokens[(int)q]} (last pushed by instruction {_lastPusher[(int)q]})")));
        }
    }

    /// <summary>A flag the module has no queue for is a routing mistake (TVM's runtime never sets one).</summary>
    private static void CheckFlags(Instruction insn, int index)
    {
        var module = PipelineRouting.ModuleOf(insn);
        if ((insn.PopPrev && PipelineRouting.PopPrevQueue(module) is null) || (insn.PushPrev && PipelineRouting.PushPrevQueue(module) is null))
        {
            throw new VtaSimException($"{Mnemonic(insn)} runs on the {PipelineRouting.Name(module)} module, which has no previous stage: pop_prev/push_prev must be 0", index);
        }

        if ((insn.PopNext && PipelineRouting.PopNextQueue(module) is null) || (insn.PushNext && PipelineRouting.PushNextQueue(module) is null))
        {
            throw new VtaSimException($"{Mnemonic(insn)} runs on the {PipelineRouting.Name(module)} module, which has no next stage: pop_next/push_next must be 0", index);
        }
    }

    /// <summary>Runs one module until it blocks or finishes; true if it did anything.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called a few times per run, each running many instructions
    private bool Advance(ModuleState m, IReadOnlyList<Instruction> program, Action<Instruction, int> execute)
    {
        bool progress = false;
        while (!m.Done)
        {
            int index = m.Current;
            var insn = program[index];
            int deps = (int)insn.Deps;
            for (; m.Phase <= Phase.PushNext; m.Phase++)
            {
                if (m.Phase == Phase.Execute)
                {
                    execute(insn, index);
                    progress = true;
                    continue;
                }

                // DepFlags bits line up with the phases: pop prev 1, pop next 2, push prev 4, push next 8.
                int flag = m.Phase < Phase.Execute ? 1 << (int)m.Phase : 1 << ((int)m.Phase - 1);
                if ((deps & flag) == 0)
                {
                    continue;
                }

                int q = (int)m.Queues[(int)m.Phase]!.Value;
                if (m.Phase < Phase.Execute)
                {
                    if (_tokens[q] == 0)
                    {
                        m.BlockedOn = $"waits to pop {PipelineRouting.Name((TokenQueue)q)}, which is empty";
                        return progress;
                    }

                    _tokens[q]--;
                }
                else
                {
                    if (_tokens[q] >= QueueDepth)
                    {
                        m.BlockedOn = $"waits to push {PipelineRouting.Name((TokenQueue)q)}, which is full (queue full: {QueueDepth} tokens)";
                        return progress;
                    }

                    _tokens[q]++;
                    _lastPusher[q] = index;
                }

                progress = true;
            }

            m.Phase = Phase.PopPrev;
            m.Position++;
        }

        return progress;
    }

    private static string Describe(ModuleState m, IReadOnlyList<Instruction> program) =>
        $"{PipelineRouting.Name(m.Module)} module: instruction {m.Current} ({Mnemonic(program[m.Current])}) {m.BlockedOn}";

    /// <summary>A short name such as "LOAD INP", "STORE (NOP)", "ALU ADD" for messages.</summary>
    public static string Mnemonic(Instruction insn) => insn switch
    {
        MemInsn m => $"{m.Op.ToString().ToUpperInvariant()} {VtaCore.MemName(m.MemoryType)}{(m.IsNop ? " (NOP)" : "")}",
        GemmInsn g => g.ResetReg ? "GEMM reset" : "GEMM",
        AluInsn a => $"ALU {a.AluOpcode.ToString().ToUpperInvariant()}{(a.UseImm ? " imm" : "")}",
        FinishInsn => "FINISH",
        _ => insn.GetType().Name,
    };

    private enum Phase
    {
        PopPrev,
        PopNext,
        Execute,
        PushPrev,
        PushNext,
    }

    private sealed class ModuleState(PipelineModule module)
    {
        public PipelineModule Module { get; } = module;

        /// <summary>The queue each phase uses (indexed by <see cref="Phase"/>; null for execute or an unused flag).</summary>
        public TokenQueue?[] Queues { get; } =
        [
            PipelineRouting.PopPrevQueue(module), PipelineRouting.PopNextQueue(module), null,
            PipelineRouting.PushPrevQueue(module), PipelineRouting.PushNextQueue(module),
        ];

        public List<int> Indices { get; } = [];

        public int Position { get; set; }

        public Phase Phase { get; set; }

        public string BlockedOn { get; set; } = "";

        public bool Done => Position >= Indices.Count;

        public int Current => Indices[Position];
    }
}
