using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using Vta.Hardware.Config;

namespace Vta.Cli.Output;

/// <summary>Everything a configuration determines, as JSON and as grouped tables.</summary>
internal static class ConfigReport
{
    private sealed record Mem(string Name, int ElemBits, int BufferLogBytes, int LogDepth, int? AxiRatio);

    private static Mem[] Memories(VtaConfig c) =>
    [
        new("uop", VtaConfig.UopWidth, c.LogUopBuffSize, c.LogUopBuffDepth, null),
        new("inp", c.InpElemBits, c.LogInpBuffSize, c.LogInpBuffDepth, c.InpAxiRatio),
        new("wgt", c.WgtElemBits, c.LogWgtBuffSize, c.LogWgtBuffDepth, c.WgtAxiRatio),
        new("acc", c.AccElemBits, c.LogAccBuffSize, c.LogAccBuffDepth, c.AccAxiRatio),
        new("out", c.OutElemBits, c.LogOutBuffSize, c.LogOutBuffDepth, c.OutAxiRatio),
    ];

    /// <summary>$VTA_CACHE_PATH, or ~/.vta_cache as in TVM.</summary>
    public static string CacheFile(VtaConfig c)
    {
        string? root = Environment.GetEnvironmentVariable("VTA_CACHE_PATH");
        if (string.IsNullOrEmpty(root))
        {
            root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".vta_cache");
        }

        return Path.Combine(root, c.BitstreamCachePath);
    }

    public static JsonObject Json(VtaConfig c)
    {
        var keys = new JsonObject();
        foreach (var (key, value) in ConfigKeys(c))
        {
            keys[key] = int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) && key.StartsWith("LOG_", StringComparison.Ordinal)
                ? n : value;
        }

        var memory = new JsonObject();
        foreach (Mem m in Memories(c))
        {
            var o = new JsonObject
            {
                ["elem_bits"] = m.ElemBits,
                ["elem_bytes"] = m.ElemBits / 8,
                ["log_buffer_bytes"] = m.BufferLogBytes,
                ["buffer_bytes"] = 1L << m.BufferLogBytes,
                ["log_depth"] = m.LogDepth,
                ["depth"] = 1L << m.LogDepth,
            };
            if (m.AxiRatio is int ratio)
            {
                o["axi_ratio"] = ratio;
            }

            memory[m.Name] = o;
        }

        memory["insn"] = new JsonObject { ["elem_bits"] = VtaConfig.InsWidth, ["elem_bytes"] = VtaConfig.InsnBytes };

        TargetInfo t = c.TargetInfo;
        var layout = new JsonObject();
        foreach (var (kind, rows) in LayoutRow.All(c))
        {
            layout[kind] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject
            {
                ["field"] = r.Field, ["lo"] = r.Lo, ["hi"] = r.Hi, ["width"] = r.Width,
            }).ToArray());
        }

        return new JsonObject
        {
            ["keys"] = keys,
            ["name"] = c.Name,
            ["model"] = c.Model,
            ["bitstream"] = new JsonObject
            {
                ["path"] = c.BitstreamPath,
                ["cache_path"] = c.BitstreamCachePath,
                ["cache_file"] = CacheFile(c),
            },
            ["shape"] = new JsonObject
            {
                ["log_batch"] = c.LogBatch, ["batch"] = c.Batch,
                ["log_block_in"] = c.LogBlockIn, ["block_in"] = c.BlockIn,
                ["log_block_out"] = c.LogBlockOut, ["block_out"] = c.BlockOut,
            },
            ["widths"] = new JsonObject
            {
                ["inp"] = c.InpWidth, ["wgt"] = c.WgtWidth, ["acc"] = c.AccWidth, ["out"] = c.OutWidth,
                ["log_out_width"] = c.LogOutWidth, ["uop"] = VtaConfig.UopWidth, ["insn"] = VtaConfig.InsWidth,
            },
            ["memory"] = memory,
            ["target"] = new JsonObject
            {
                ["name"] = t.Name,
                ["fpga_device"] = t.FpgaDevice,
                ["clock_mhz"] = t.ClockMHz,
                ["hls_clock_period_ns"] = t.HlsClockPeriodNs,
                ["log_bus_width"] = c.LogBusWidth,
                ["bus_width_bits"] = c.BusWidthBits,
                ["registers"] = new JsonObject
                {
                    ["fetch"] = t.FetchBase, ["load"] = t.LoadBase, ["compute"] = t.ComputeBase, ["store"] = t.StoreBase,
                },
                ["host_triple"] = t.HostTriple,
                ["is_board"] = t.IsBoard,
                ["has_alu_mul"] = c.HasAluMul,
            },
            ["layout"] = layout,
        };
    }

    public static void Render(IAnsiConsole console, VtaConfig c)
    {
        console.Write(Tables.KeyValue("Configuration keys", ConfigKeys(c)));

        console.Write(Tables.KeyValue("Names",
        [
            ("config name", c.Name), ("model", c.Model), ("bitstream path", c.BitstreamPath),
            ("bitstream cache path", c.BitstreamCachePath), ("bitstream cache file", CacheFile(c)),
        ]));

        console.Write(Tables.KeyValue("Shape and widths",
        [
            ("BATCH", $"{c.Batch}"), ("BLOCK_IN", $"{c.BlockIn}"), ("BLOCK_OUT", $"{c.BlockOut}"),
            ("INP width", $"{c.InpWidth} bits"), ("WGT width", $"{c.WgtWidth} bits"), ("ACC width", $"{c.AccWidth} bits"),
            ("OUT width", $"{c.OutWidth} bits"), ("UOP width", $"{VtaConfig.UopWidth} bits"), ("INSN width", $"{VtaConfig.InsWidth} bits"),
        ]));

        var mem = Tables.Create("Elements and on-chip buffers", "memory", "elem bits", "elem bytes", "buffer bytes", "depth (elems)", "log2 depth", "AXI ratio");
        foreach (Mem m in Memories(c))
        {
            Tables.AddRow(mem, m.Name.ToUpperInvariant(), $"{m.ElemBits}", $"{m.ElemBits / 8}", $"{1L << m.BufferLogBytes}", $"{1L << m.LogDepth}",
                $"{m.LogDepth}", m.AxiRatio?.ToString(CultureInfo.InvariantCulture) ?? "-");
        }

        Tables.AddRow(mem, "INSN", $"{VtaConfig.InsWidth}", $"{VtaConfig.InsnBytes}", "-", "-", "-", "-");
        console.Write(mem);

        TargetInfo t = c.TargetInfo;
        console.Write(Tables.KeyValue("Target",
        [
            ("target", t.Name), ("FPGA device", t.FpgaDevice), ("clock", $"{t.ClockMHz} MHz"),
            ("HLS clock period", string.Create(CultureInfo.InvariantCulture, $"{t.HlsClockPeriodNs} ns")),
            ("bus width", $"{c.BusWidthBits} bits"), ("fetch base", $"0x{t.FetchBase:X8}"), ("load base", $"0x{t.LoadBase:X8}"),
            ("compute base", $"0x{t.ComputeBase:X8}"), ("store base", $"0x{t.StoreBase:X8}"), ("host triple", t.HostTriple),
            ("runs on a board", t.IsBoard ? "yes" : "no"), ("ALU MUL (HasAluMul)", c.HasAluMul ? "yes" : "no"),
        ]));

        var layout = Tables.Create("Instruction layout (bit ranges, LSB = 0)", "kind", "field", "bits", "width");
        foreach (var (kind, rows) in LayoutRow.All(c))
        {
            for (int i = 0; i < rows.Count; i++)
            {
                Tables.AddRow(layout, i == 0 ? kind.ToUpperInvariant().Replace('_', '/') : "", rows[i].Field, rows[i].Bits, $"{rows[i].Width}");
            }
        }

        console.Write(layout);
    }

    private static IEnumerable<(string Key, string Value)> ConfigKeys(VtaConfig c) =>
        System.Text.Json.JsonDocument.Parse(VtaConfigLoader.ToJson(c)).RootElement.EnumerateObject()
            .Select(p => (p.Name, p.Value.ValueKind == System.Text.Json.JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()));
}
