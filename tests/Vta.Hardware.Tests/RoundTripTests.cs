using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Hardware.Tests;

/// <summary>Random instructions of every kind survive encode → bytes → decode at several configurations.</summary>
public class RoundTripTests
{
    [Theory]
    [MemberData(nameof(TestConfigs.Names), MemberType = typeof(TestConfigs))]
    public void RandomInstructionsRoundTrip(string name)
    {
        VtaConfig c = TestConfigs.All[name];
        var rng = new Random(name.GetHashCode(StringComparison.Ordinal) ^ 12345);
        var enc = new InsnEncoder(c);
        var dec = new InsnDecoder(c);
        var insns = Enumerable.Range(0, 2000).Select(_ => RandomInstruction(rng, c)).ToList();

        byte[] bytes = enc.EncodeAll(insns);
        var back = dec.DecodeAll(bytes);

        Assert.Equal(insns.Count * 16, bytes.Length);
        Assert.Equal(insns, back);
    }

    [Theory]
    [MemberData(nameof(TestConfigs.Names), MemberType = typeof(TestConfigs))]
    public void MaximalFieldValuesDoNotBleedIntoNeighbours(string name)
    {
        VtaConfig c = TestConfigs.All[name];
        var enc = new InsnEncoder(c);
        var dec = new InsnDecoder(c);
        int Max(int bits) => (1 << bits) - 1;
        var gemm = new GemmInsn(DepFlags.PopPrev | DepFlags.PushNext, true, Max(c.LogUopBuffDepth), Max(c.LogUopBuffDepth + 1),
            Max(14), Max(14), Max(c.LogAccBuffDepth), 0, Max(c.LogInpBuffDepth), 0, Max(c.LogWgtBuffDepth), 0);
        var gemm2 = gemm with { DstFactorOut = 0, DstFactorIn = Max(c.LogAccBuffDepth), SrcFactorOut = 0, SrcFactorIn = Max(c.LogInpBuffDepth), WgtFactorOut = 0, WgtFactorIn = Max(c.LogWgtBuffDepth) };
        Assert.Equal(gemm, dec.Decode(enc.Encode(gemm)));
        Assert.Equal(gemm2, dec.Decode(enc.Encode(gemm2)));
        var uop = new Uop(Max(c.LogAccBuffDepth), Max(Math.Max(c.LogAccBuffDepth, c.LogInpBuffDepth)), Max(c.LogWgtBuffDepth));
        Assert.Equal(uop, dec.DecodeUop(enc.EncodeUop(uop)));
        Assert.Equal(new Uop(0, 0, Max(c.LogWgtBuffDepth)), dec.DecodeUop(enc.EncodeUop(new Uop(0, 0, Max(c.LogWgtBuffDepth)))));
    }

    [Theory]
    [MemberData(nameof(TestConfigs.Names), MemberType = typeof(TestConfigs))]
    public void NoFieldStraddlesBit64AndNoneOverlap(string name)
    {
        InsnLayout layout = TestConfigs.All[name].Layout;
        foreach (var kind in new[] { layout.Mem, layout.Gemm, layout.Alu, layout.Uop })
        {
            Assert.True(kind.TotalBits <= kind.WordBits);
            int end = 0;
            foreach (BitField f in kind.All)
            {
                Assert.True(f.Start >= end, $"{f.Name} overlaps its predecessor");
                Assert.True(f.Start / 64 == (f.End - 1) / 64, $"{f.Name} straddles bit 64");
                end = f.End;
            }
        }
    }

    internal static Instruction RandomInstruction(Random rng, VtaConfig c)
    {
        var deps = (DepFlags)rng.Next(16);
        int R(int bits) => (int)rng.NextInt64(1L << bits);
        switch (rng.Next(5))
        {
            case 0:
            case 1:
                bool load = rng.Next(2) == 0;
                return new MemInsn(load ? Opcode.Load : Opcode.Store, deps, (MemoryType)rng.Next(6), R(16), (uint)rng.NextInt64(1L << 32),
                    R(16), R(16), R(16), R(4), R(4), R(4), R(4));
            case 2:
                return new GemmInsn(deps, rng.Next(2) == 1, R(c.LogUopBuffDepth), R(c.LogUopBuffDepth + 1), R(14), R(14),
                    R(c.LogAccBuffDepth), R(c.LogAccBuffDepth), R(c.LogInpBuffDepth), R(c.LogInpBuffDepth), R(c.LogWgtBuffDepth), R(c.LogWgtBuffDepth));
            case 3:
                return new AluInsn(deps, rng.Next(2) == 1, R(c.LogUopBuffDepth), R(c.LogUopBuffDepth + 1), R(14), R(14),
                    R(c.LogAccBuffDepth), R(c.LogAccBuffDepth), R(c.LogAccBuffDepth), R(c.LogAccBuffDepth),
                    (AluOpcode)rng.Next(5), rng.Next(2) == 1, (short)rng.Next(short.MinValue, short.MaxValue + 1));
            default:
                return new FinishInsn(deps);
        }
    }
}
