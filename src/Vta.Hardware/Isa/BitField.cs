namespace Vta.Hardware.Isa;

/// <summary>A named field of an instruction or micro-op: start bit (LSB first) and width.</summary>
public readonly record struct BitField(string Name, int Start, int Width)
{
    public int End => Start + Width;

    public ulong MaxValue => Width == 64 ? ulong.MaxValue : (1UL << Width) - 1;

    public UInt128 Mask => (UInt128)MaxValue << Start;

    public ulong Read(UInt128 word) => (ulong)(word >> Start) & MaxValue;

    public UInt128 Write(UInt128 word, ulong value) => (word & ~Mask) | ((UInt128)(value & MaxValue) << Start);

    public bool Fits(long value) => value >= 0 && (ulong)value <= MaxValue;
}
