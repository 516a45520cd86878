using Vta.Hardware.Isa;

namespace Vta.Hardware.Config;

/// <summary>Refuses configurations that no VTA build could have, naming the key and the limit.</summary>
internal static class VtaConfigValidator
{
    public static void Validate(VtaConfig c)
    {
        if (!TargetInfo.KnownTargets.Contains(c.Target))
        {
            throw new VtaConfigException($"unknown target '{c.Target}' (known: {string.Join(", ", TargetInfo.KnownTargets)})", "TARGET");
        }

        if (string.IsNullOrWhiteSpace(c.HwVer) || c.HwVer.Any(ch => !(char.IsAsciiDigit(ch) || ch == '.')))
        {
            throw new VtaConfigException($"'{c.HwVer}' is not a version such as 0.0.2", "HW_VER");
        }

        // The simulators model int8 inputs, weights and outputs with int32 accumulators, as every shipped VTA does.
        Exactly("LOG_INP_WIDTH", c.LogInpWidth, 3, "8-bit inputs");
        Exactly("LOG_WGT_WIDTH", c.LogWgtWidth, 3, "8-bit weights");
        Exactly("LOG_ACC_WIDTH", c.LogAccWidth, 5, "32-bit accumulators");
        InRange("LOG_BATCH", c.LogBatch, 0, 4);
        InRange("LOG_BLOCK", c.LogBlock, 1, 6);
        InRange("LOG_UOP_BUFF_SIZE", c.LogUopBuffSize, 3, 20);
        InRange("LOG_INP_BUFF_SIZE", c.LogInpBuffSize, 3, 24);
        InRange("LOG_WGT_BUFF_SIZE", c.LogWgtBuffSize, 3, 26);
        InRange("LOG_ACC_BUFF_SIZE", c.LogAccBuffSize, 3, 26);

        // TVM's runtime requires each element to fit one 4 KiB page.
        ElementFitsPage("LOG_ACC_BUFF_SIZE", "ACC", c.AccElemBytes);
        ElementFitsPage("LOG_WGT_BUFF_SIZE", "WGT", c.WgtElemBytes);
        ElementFitsPage("LOG_INP_BUFF_SIZE", "INP", c.InpElemBytes);

        AtLeastOneElement("LOG_UOP_BUFF_SIZE", c.LogUopBuffDepth, 2);
        AtLeastOneElement("LOG_INP_BUFF_SIZE", c.LogInpBuffDepth, c.LogBatch + c.LogBlockIn + c.LogInpWidth - 3);
        AtLeastOneElement("LOG_WGT_BUFF_SIZE", c.LogWgtBuffDepth, c.LogBlockOut + c.LogBlockIn + c.LogWgtWidth - 3);
        AtLeastOneElement("LOG_ACC_BUFF_SIZE", c.LogAccBuffDepth, c.LogBatch + c.LogBlockOut + c.LogAccWidth - 3);

        // SRAM addresses in LOAD/STORE are 16 bits wide.
        foreach (var (key, logDepth) in new[]
                 {
                     ("LOG_UOP_BUFF_SIZE", c.LogUopBuffDepth), ("LOG_INP_BUFF_SIZE", c.LogInpBuffDepth),
                     ("LOG_WGT_BUFF_SIZE", c.LogWgtBuffDepth), ("LOG_ACC_BUFF_SIZE", c.LogAccBuffDepth),
                 })
        {
            if (logDepth > InsnLayout.SramAddrBits)
            {
                throw new VtaConfigException(
                    $"buffer depth 2^{logDepth} elements exceeds the 16-bit sram_base field of LOAD/STORE (at most 2^16)", key);
            }
        }

        InsnLayout.Check(c);
    }

    private static void Exactly(string key, int value, int expected, string what)
    {
        if (value != expected)
        {
            throw new VtaConfigException($"value {value} is not supported: this toolchain models {what} ({key} = {expected})", key);
        }
    }

    private static void InRange(string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            throw new VtaConfigException($"value {value} is out of range [{min}, {max}]", key);
        }
    }

    private static void ElementFitsPage(string key, string what, int bytes)
    {
        if (bytes > 4096)
        {
            throw new VtaConfigException($"a {what} element of {bytes} bytes exceeds the 4096-byte limit of TVM's runtime (lower LOG_BATCH or LOG_BLOCK)", key);
        }
    }

    private static void AtLeastOneElement(string key, int logDepth, int minLogSize)
    {
        if (logDepth < 1)
        {
            throw new VtaConfigException($"the buffer holds fewer than 2 elements; needs at least {minLogSize + 1} for this LOG_BATCH/LOG_BLOCK", key);
        }
    }
}
