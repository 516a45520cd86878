using Vta.Hardware.Isa;

namespace Vta.Hardware.Config;

/// <summary>
/// One VTA hardware configuration (TVM's vta_config.json keys) with every derived quantity.
/// Immutable; construct through <see cref="Create"/> or <see cref="VtaConfigLoader"/>, which validate.
/// </summary>
public sealed class VtaConfig : IEquatable<VtaConfig>
{
    private VtaConfig(string target, string hwVer, int logInpWidth, int logWgtWidth, int logAccWidth, int logBatch, int logBlock,
        int logUopBuffSize, int logInpBuffSize, int logWgtBuffSize, int logAccBuffSize)
    {
        Target = target;
        HwVer = hwVer;
        LogInpWidth = logInpWidth;
        LogWgtWidth = logWgtWidth;
        LogAccWidth = logAccWidth;
        LogBatch = logBatch;
        LogBlock = logBlock;
        LogUopBuffSize = logUopBuffSize;
        LogInpBuffSize = logInpBuffSize;
        LogWgtBuffSize = logWgtBuffSize;
        LogAccBuffSize = logAccBuffSize;
        TargetInfo = TargetInfo.For(target);
    }

    private InsnLayout? _layout;

    /// <summary>The Pynq defaults (TVM's shipped configuration).</summary>
    public static VtaConfig Default { get; } = Create();

    // ---- TVM's keys ----
    public string Target { get; }
    public string HwVer { get; }
    public int LogInpWidth { get; }
    public int LogWgtWidth { get; }
    public int LogAccWidth { get; }
    public int LogBatch { get; }
    public int LogBlock { get; }
    public int LogUopBuffSize { get; }
    public int LogInpBuffSize { get; }
    public int LogWgtBuffSize { get; }
    public int LogAccBuffSize { get; }

    public TargetInfo TargetInfo { get; }

    // ---- widths and GEMM shape ----
    public int LogOutWidth => LogInpWidth;
    public int InpWidth => 1 << LogInpWidth;
    public int WgtWidth => 1 << LogWgtWidth;
    public int AccWidth => 1 << LogAccWidth;
    public int OutWidth => 1 << LogOutWidth;
    public int Batch => 1 << LogBatch;
    public int LogBlockIn => LogBlock;
    public int LogBlockOut => LogBlock;
    public int BlockIn => 1 << LogBlockIn;
    public int BlockOut => 1 << LogBlockOut;
    public int LogOutBuffSize => LogAccBuffSize + LogOutWidth - LogAccWidth;

    // ---- fixed widths of the ISA ----
    public const int UopWidth = 32;
    public const int InsWidth = 128;
    public const int UopElemBytes = 4;
    public const int InsnBytes = 16;

    // ---- element ("tile") sizes ----
    public int InpElemBits => InpWidth * Batch * BlockIn;
    public int WgtElemBits => WgtWidth * BlockOut * BlockIn;
    public int AccElemBits => AccWidth * Batch * BlockOut;
    public int OutElemBits => OutWidth * Batch * BlockOut;
    public int InpElemBytes => InpElemBits / 8;
    public int WgtElemBytes => WgtElemBits / 8;
    public int AccElemBytes => AccElemBits / 8;
    public int OutElemBytes => OutElemBits / 8;

    // ---- buffer depths in elements ----
    public int LogUopBuffDepth => LogUopBuffSize - 5 + 3;
    public int LogInpBuffDepth => LogInpBuffSize - LogBatch - LogBlockIn - LogInpWidth + 3;
    public int LogWgtBuffDepth => LogWgtBuffSize - LogBlockOut - LogBlockIn - LogWgtWidth + 3;
    public int LogAccBuffDepth => LogAccBuffSize - LogBatch - LogBlockOut - LogAccWidth + 3;
    public int LogOutBuffDepth => LogAccBuffDepth;
    public int UopBuffDepth => 1 << LogUopBuffDepth;
    public int InpBuffDepth => 1 << LogInpBuffDepth;
    public int WgtBuffDepth => 1 << LogWgtBuffDepth;
    public int AccBuffDepth => 1 << LogAccBuffDepth;
    public int OutBuffDepth => 1 << LogOutBuffDepth;
    public int UopBuffBytes => 1 << LogUopBuffSize;
    public int InpBuffBytes => 1 << LogInpBuffSize;
    public int WgtBuffBytes => 1 << LogWgtBuffSize;
    public int AccBuffBytes => 1 << LogAccBuffSize;
    public int OutBuffBytes => 1 << LogOutBuffSize;

    // ---- bus ----
    public int LogBusWidth => TargetInfo.LogBusWidth;
    public int BusWidthBits => TargetInfo.BusWidthBits;
    public int InpAxiRatio => Math.Max(1, InpElemBits / BusWidthBits);
    public int WgtAxiRatio => Math.Max(1, WgtElemBits / BusWidthBits);
    public int AccAxiRatio => Math.Max(1, AccElemBits / BusWidthBits);
    public int OutAxiRatio => Math.Max(1, OutElemBits / BusWidthBits);
    public int ClockMHz => TargetInfo.ClockMHz;

    /// <summary>ALU MUL and ACC_8BIT loads exist only in TVM's functional simulator and the intelfocl design.</summary>
    public bool HasAluMul => Target is "sim" or "intelfocl";

    // ---- names ----
    /// <summary>TVM's BITSTREAM string, e.g. 1x16_i8w8a32_15_15_18_17.</summary>
    public string Name => $"{Batch}x{BlockIn}_i{InpWidth}w{WgtWidth}a{AccWidth}_{LogUopBuffSize}_{LogInpBuffSize}_{LogWgtBuffSize}_{LogAccBuffSize}";

    /// <summary>TVM's MODEL string, e.g. pynq_1x16_i8w8a32_15_15_18_17.</summary>
    public string Model => $"{Target}_{Name}";

    /// <summary>Catalogue path as in TVM's download convention: pynq/0.0.2/1x16_i8w8a32_15_15_18_17.bit.</summary>
    public string BitstreamPath => $"{Target}/{HwVer}/{Name}.bit";

    /// <summary>Local cache path as in TVM's ~/.vta_cache: pynq/0_0_2/1x16_i8w8a32_15_15_18_17.bit.</summary>
    public string BitstreamCachePath => $"{Target}/{HwVer.Replace('.', '_')}/{Name}.bit";

    /// <summary>Bit positions of every instruction and micro-op field at this configuration.</summary>
    public InsnLayout Layout => _layout ??= InsnLayout.For(this);

    public static VtaConfig Create(string target = "pynq", string hwVer = "0.0.2", int logInpWidth = 3, int logWgtWidth = 3,
        int logAccWidth = 5, int logBatch = 0, int logBlock = 4, int logUopBuffSize = 15, int logInpBuffSize = 15,
        int logWgtBuffSize = 18, int logAccBuffSize = 17)
    {
        var config = new VtaConfig(target, hwVer, logInpWidth, logWgtWidth, logAccWidth, logBatch, logBlock,
            logUopBuffSize, logInpBuffSize, logWgtBuffSize, logAccBuffSize);
        VtaConfigValidator.Validate(config);
        return config;
    }

    /// <summary>A copy with some keys changed (by TVM key name), validated.</summary>
    public VtaConfig With(IReadOnlyDictionary<string, string> overrides)
    {
        var values = VtaConfigLoader.ToDictionary(this);
        foreach (var (k, v) in overrides)
        {
            if (!values.ContainsKey(k))
            {
                throw new VtaConfigException($"unknown configuration key (known: {string.Join(", ", values.Keys)})", k);
            }

            values[k] = v;
        }

        return VtaConfigLoader.FromDictionary(values, file: null);
    }

    public bool Equals(VtaConfig? other) => other is not null && Model == other.Model && HwVer == other.HwVer;

    public override bool Equals(object? obj) => Equals(obj as VtaConfig);

    public override int GetHashCode() => HashCode.Combine(Model, HwVer);

    public override string ToString() => Model;
}
