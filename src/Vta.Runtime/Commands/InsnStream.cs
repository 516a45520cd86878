using Vta.Hardware.Isa;
using Vta.Sim;

namespace Vta.Runtime.Commands;

/// <summary>
/// The instruction stream being built and its dependency bookkeeping (TVM's InsnQueue): pops wait as pending flags
/// until their stage's next instruction absorbs them; a push goes on the source stage's last instruction when that
/// flag is free, else on a no-op.
/// </summary>
internal sealed class InsnStream
{
    private readonly List<Instruction> _insns = [];
    private readonly bool[] _pendingPopPrev = new bool[4];
    private readonly bool[] _pendingPopNext = new bool[4];
    private readonly int[] _balance = new int[4];

    public IReadOnlyList<Instruction> Instructions => _insns;

    public int Count => _insns.Count;

    public bool HasPendingPop => _pendingPopPrev.Any(p => p) || _pendingPopNext.Any(p => p);

    /// <summary>Appends an instruction (whose flags are replaced), giving it its stage's pending pops.</summary>
    public void Add(Instruction insn)
    {
        int s = (int)Stages.Of(insn);
        var deps = DepFlags.None;
        if (_pendingPopPrev[s])
        {
            deps |= DepFlags.PopPrev;
        }

        if (_pendingPopNext[s])
        {
            deps |= DepFlags.PopNext;
        }

        _pendingPopPrev[s] = false;
        _pendingPopNext[s] = false;
        Append(insn.WithDeps(deps));
    }

    /// <summary>Makes <paramref name="to"/>'s next instruction wait for a token from <paramref name="from"/>.</summary>
    public void DepPop(Stage from, Stage to)
    {
        Stages.QueueOf(from, to);
        bool[] pending = from < to ? _pendingPopPrev : _pendingPopNext;
        if (pending[(int)to])
        {
            CommitPendingPop(to);
        }

        pending[(int)to] = true;
    }

    /// <summary>Sends a token from <paramref name="from"/> to <paramref name="to"/> after from's last instruction.</summary>
    public void DepPush(Stage from, Stage to)
    {
        Stages.QueueOf(from, to);
        CommitPendingPop(from);
        DepFlags flag = from < to ? DepFlags.PushNext : DepFlags.PushPrev;
        if (_insns.Count > 0)
        {
            var last = _insns[^1];
            if (Stages.Of(last) == from && (last.Deps & flag) == 0)
            {
                var updated = last.WithDeps(last.Deps | flag);
                Stages.Apply(last, _balance, sign: -1);
                Stages.Apply(updated, _balance);
                _insns[^1] = updated;
                return;
            }
        }

        Append(Noop(from, flag));
    }

    /// <summary>Turns a stage's pending pops into a no-op of their own.</summary>
    public void CommitPendingPop(Stage stage)
    {
        int s = (int)stage;
        if (_pendingPopPrev[s] || _pendingPopNext[s])
        {
            var deps = (_pendingPopPrev[s] ? DepFlags.PopPrev : 0) | (_pendingPopNext[s] ? DepFlags.PopNext : 0);
            _pendingPopPrev[s] = false;
            _pendingPopNext[s] = false;
            Append(Noop(stage, deps));
        }
    }

    public void CommitAllPendingPops()
    {
        CommitPendingPop(Stage.Load);
        CommitPendingPop(Stage.Compute);
        CommitPendingPop(Stage.Store);
    }

    /// <summary>The net tokens per queue (pushes minus pops) over the stream so far, indexed by <see cref="TokenQueue"/>.</summary>
    public int[] Balance() => (int[])_balance.Clone();

    /// <summary>Tokens in flight at the end of the stream, all queues together.</summary>
    public int Outstanding => _balance.Sum(Math.Abs);

    public void Clear()
    {
        _insns.Clear();
        Array.Clear(_balance);
        Array.Clear(_pendingPopPrev);
        Array.Clear(_pendingPopNext);
    }

    private void Append(Instruction insn)
    {
        Stages.Apply(insn, _balance);
        _insns.Add(insn);
    }

    /// <summary>A no-op on a stage: a LOAD (STORE on the store stage) that moves nothing and carries only flags.</summary>
    public static MemInsn Noop(Stage stage, DepFlags deps) => stage switch
    {
        Stage.Load => new MemInsn(Opcode.Load, deps, MemoryType.Inp, 0, 0, 0, 0, 0),
        Stage.Compute => new MemInsn(Opcode.Load, deps, MemoryType.Uop, 0, 0, 0, 0, 0),
        _ => new MemInsn(Opcode.Store, deps, MemoryType.Out, 0, 0, 0, 0, 0),
    };
}
