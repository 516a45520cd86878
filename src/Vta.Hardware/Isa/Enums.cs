namespace Vta.Hardware.Isa;

/// <summary>Instruction opcodes (bits 0–2). Values 5–7 are not instructions.</summary>
public enum Opcode : byte
{
    Load = 0,
    Store = 1,
    Gemm = 2,
    Finish = 3,
    Alu = 4,
}

/// <summary>Memory ids of LOAD/STORE. ACC_8BIT exists only in the functional simulator and intelfocl.</summary>
public enum MemoryType : byte
{
    Uop = 0,
    Wgt = 1,
    Inp = 2,
    Acc = 3,
    Out = 4,
    Acc8Bit = 5,
}

/// <summary>ALU operations. MUL exists only where the configuration enables it.</summary>
public enum AluOpcode : byte
{
    Min = 0,
    Max = 1,
    Add = 2,
    Shr = 3,
    Mul = 4,
}

/// <summary>The four dependency flags (bits 3–6) every instruction carries.</summary>
[Flags]
public enum DepFlags : byte
{
    None = 0,
    PopPrev = 1,
    PopNext = 2,
    PushPrev = 4,
    PushNext = 8,
}
