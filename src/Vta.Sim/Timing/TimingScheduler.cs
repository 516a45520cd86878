using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim.Timing;

/// <summary>
/// The event schedule of §4 with times: fetch reads instruction bursts and dispatches them in order into the load,
/// compute and store instruction queues (blocking on a full one); each module takes its next instruction, pops its
/// tokens, works for the duration the <see cref="CostModel"/> gives, then pushes its tokens (blocking on a full queue).
/// <para>
/// The units are sequential processes joined by single-producer, single-consumer FIFOs, so the k-th pop of a queue
/// meets its k-th push and every event time is the max of the events it waits for plus a duration. The schedule is
/// computed by advancing each unit until it needs an event not yet computed (fetch, then load, compute and store, round
/// after round, as <see cref="TaskPipeline"/> does), which gives the same times whatever the order and never steps
/// through cycles: O(instructions) events plus the cost model's O(rows) per LOAD/STORE.
/// </para>
/// The data work (<c>execute</c>) runs when each instruction starts, in that order: it is TaskPipeline's order
/// whenever fetch never blocks, and respects every token in any case, so race-free programs give the behavioral results.
/// </summary>
public sealed partial class TimingScheduler
{
    private const int UnitCount = 4;
    private const int Fetch = 0;

    private readonly CostModel _cost;
    private readonly TimingParameters _p;

    public TimingScheduler(CostModel cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        _cost = cost;
        _p = cost.Parameters;
        _p.Validate();
    }

    /// <summary>
    /// Schedules <paramref name="program"/> (instructions stored at byte address <paramref name="insnAddr"/>), calling
    /// <paramref name="execute"/> for each instruction's data work (null: timing only; fields are not validated then).
    /// Throws <see cref="VtaSimException"/> on a flag the module has no queue for, a deadlock or tokens left over;
    /// <paramref name="trace"/> gets each instruction's times.
    /// </summary>
    public TimingReport Run(IReadOnlyList<Instruction> program, Action<Instruction, int>? execute, long insnAddr, out TimingTrace trace)
    {
        ArgumentNullException.ThrowIfNull(program);
        for (int i = 0; i < program.Count; i++)
        {
            CheckFlags(program[i], i);
        }

        var run = new RunState(program, insnAddr);
        bool progress = true;
        while (progress)
        {
            progress = AdvanceFetch(run);
            for (int u = 1; u < UnitCount; u++)
            {
                progress |= AdvanceModule(run, run.Units[u], execute);
            }
        }

        if (run.Fetched < program.Count || run.Units.Skip(1).Any(u => !u.Done))
        {
            ThrowDeadlock(run);
        }

        CheckLeftovers(run);
        trace = new TimingTrace(program, run.Dispatch, run.Start, run.End, _cost);
        return Report(run);
    }

    /// <summary>Fetch: read a batch of instructions in one transfer, then dispatch them one per cycle in order.</summary>
    private bool AdvanceFetch(RunState run)
    {
        var f = run.Units[Fetch];
        bool progress = false;
        while (run.Fetched < run.Program.Count)
        {
            int i = run.Fetched;
            if (i == run.BatchEnd)
            {
                int n = Math.Min(_p.FetchBatchInsns, run.Program.Count - i);
                long read = _cost.Memory.FetchRead(run.InsnAddr + ((long)i * VtaConfig.InsnBytes), n);
                f.Time += read;
                f.Busy += read;
                run.BatchEnd = i + n;
                progress = true;
            }

            var m = run.Units[run.UnitOf[i]];
            int seq = run.Seq[i];
            if (seq >= _p.InstructionQueueDepth)
            {
                // The slot frees when the module takes the instruction InstructionQueueDepth places earlier.
                int older = seq - _p.InstructionQueueDepth;
                if (older >= m.Taken)
                {
                    f.BlockedOn = $"instruction {i} ({TaskPipeline.Mnemonic(run.Program[i])}) waits for a free slot in the {m.Name} " +
                        $"instruction queue (queue full: {_p.InstructionQueueDepth} instructions)";
                    return progress;
                }

                Wait(f, run.Take[m.Indices[older]], ref f.StalledOnQueueFull);
            }

            f.Time += _p.FetchDispatchCycles;
            f.Busy += _p.FetchDispatchCycles;
            run.Dispatch[i] = f.Time;
            m.Dispatched++;
            run.Fetched++;
            progress = true;
        }

        return progress;
    }

    /// <summary>One module: take → pop prev → pop next → work → push prev → push next, until it must wait for an unknown event.</summary>
    private bool AdvanceModule(RunState run, UnitState m, Action<Instruction, int>? execute)
    {
        bool progress = false;
        while (!m.Done)
        {
            int i = m.Indices[m.Position];
            var insn = run.Program[i];
            switch (m.Phase)
            {
                case Phase.Take:
                    if (m.Position >= m.Dispatched)
                    {
                        m.BlockedOn = $"instruction {i} ({TaskPipeline.Mnemonic(insn)}) waits for fetch to dispatch it";
                        return progress;
                    }

                    Wait(m, run.Dispatch[i], ref m.Idle);
                    run.Take[i] = m.Time;
                    m.Taken++;
                    break;
                case Phase.PopPrev when insn.PopPrev:
                case Phase.PopNext when insn.PopNext:
                    if (!TryPop(run, m, m.Queue(m.Phase), i, insn))
                    {
                        return progress;
                    }

                    break;
                case Phase.Work:
                    long cycles = _cost.Cycles(insn);
                    execute?.Invoke(insn, i);
                    run.Start[i] = m.Time;
                    m.Time += cycles;
                    m.Busy += cycles;
                    run.End[i] = m.Time;
                    var kind = CostModel.KindOf(insn);
                    run.KindCount[(int)kind]++;
                    run.KindCycles[(int)kind] += cycles;
                    run.GemmUseful += _cost.GemmUsefulCycles(insn);
                    break;
                case Phase.PushPrev when insn.PushPrev:
                case Phase.PushNext when insn.PushNext:
                    if (!TryPush(run, m, m.Queue(m.Phase), i, insn))
                    {
                        return progress;
                    }

                    break;
            }

            progress = true;
            if (m.Phase == Phase.PushNext)
            {
                m.Phase = Phase.Take;
                m.Position++;
            }
            else
            {
                m.Phase++;
            }
        }

        return progress;
    }

    private bool TryPop(RunState run, UnitState m, int q, int i, Instruction insn)
    {
        var queue = run.Queues[q];
        if (queue.Pushed <= queue.Popped)
        {
            m.BlockedOn = $"instruction {i} ({TaskPipeline.Mnemonic(insn)}) waits to pop {PipelineRouting.Name((TokenQueue)q)}, which is empty";
            return false;
        }

        Wait(m, queue.PushTimes[queue.Popped] + _p.TokenLatency, ref m.StalledOnToken);
        queue.PopTimes[queue.Popped++] = m.Time;
        return true;
    }

    private bool TryPush(RunState run, UnitState m, int q, int i, Instruction insn)
    {
        var queue = run.Queues[q];
        int depth = _p.DependencyQueueDepth;
        if (queue.Pushed >= depth)
        {
            // The push needs the slot freed by pop number (Pushed − depth).
            if (queue.Popped <= queue.Pushed - depth)
            {
                m.BlockedOn = $"instruction {i} ({TaskPipeline.Mnemonic(insn)}) waits to push {PipelineRouting.Name((TokenQueue)q)}, " +
                    $"which is full (queue full: {depth} tokens)";
                return false;
            }

            Wait(m, queue.PopTimes[queue.Pushed - depth], ref m.StalledOnQueueFull);
        }

        queue.PushTimes[queue.Pushed++] = m.Time;
        queue.LastPusher = i;
        return true;
    }

    /// <summary>Moves a unit's clock to <paramref name="until"/> if that is later, charging the wait to <paramref name="account"/>.</summary>
    private static void Wait(UnitState u, long until, ref long account)
    {
        if (until > u.Time)
        {
            account += until - u.Time;
            u.Time = until;
        }
    }

    private TimingReport Report(RunState run)
    {
        long total = run.Units.Max(u => u.Time);
        var units = new UnitTiming[UnitCount];
        for (int u = 0; u < UnitCount; u++)
        {
            var s = run.Units[u];
            units[u] = new UnitTiming((TimingUnit)u, s.Busy, s.StalledOnToken, s.StalledOnQueueFull, s.Idle + (total - s.Time));
        }

        var kinds = Enum.GetValues<InsnKind>().Select(k => new KindTiming(k, run.KindCount[(int)k], run.KindCycles[(int)k])).ToArray();
        return new TimingReport(total, _p.ClockMHz, 1, run.Program.Count, run.GemmUseful, units, kinds);
    }

    private static void ThrowDeadlock(RunState run)
    {
        var blocked = run.Units.Skip(1).Where(u => !u.Done).ToList();
        var lines = blocked.Select(u => $"{u.Name} module: {u.BlockedOn}").ToList();
        int first = blocked.Count == 0 ? run.Fetched : blocked.Min(u => u.Indices[u.Position]);
        if (run.Fetched < run.Program.Count && run.Units[Fetch].BlockedOn.Length > 0)
        {
            lines.Add($"fetch: {run.Units[Fetch].BlockedOn}");
            first = Math.Min(first, run.Fetched);
        }

        throw new VtaSimException("deadlock: no module can make progress", lines, first);
    }

    private static void CheckLeftovers(RunState run)
    {
        var leftover = Enumerable.Range(0, 4).Where(q => run.Queues[q].Pushed != run.Queues[q].Popped).ToList();
        if (leftover.Count > 0)
        {
            throw new VtaSimException("tokens left over after every module finished: " + string.Join(", ", leftover.Select(q =>
                $"{PipelineRouting.Name((TokenQueue)q)} holds {run.Queues[q].Pushed - run.Queues[q].Popped} (last pushed by instruction {run.Queues[q].LastPusher})")));
        }
    }

    /// <summary>A flag the module has no queue for is a routing mistake, as in <see cref="TaskPipeline"/>.</summary>
    private static void CheckFlags(Instruction insn, int index)
    {
        var module = PipelineRouting.ModuleOf(insn);
        if ((insn.PopPrev && PipelineRouting.PopPrevQueue(module) is null) || (insn.PushPrev && PipelineRouting.PushPrevQueue(module) is null))
        {
            throw new VtaSimException($"{TaskPipeline.Mnemonic(insn)} runs on the {PipelineRouting.Name(module)} module, which has no previous stage: pop_prev/push_prev must be 0", index);
        }

        if ((insn.PopNext && PipelineRouting.PopNextQueue(module) is null) || (insn.PushNext && PipelineRouting.PushNextQueue(module) is null))
        {
            throw new VtaSimException($"{TaskPipeline.Mnemonic(insn)} runs on the {PipelineRouting.Name(module)} module, which has no next stage: pop_next/push_next must be 0", index);
        }
    }
}
