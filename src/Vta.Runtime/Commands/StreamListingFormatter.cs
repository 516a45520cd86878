using System.Globalization;
using System.Text;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Hardware.Isa.Text;
using Vta.Sim;

namespace Vta.Runtime.Commands;

/// <summary>
/// The readable form of a stream (TVM's DUMP_INSN and DUMP_UOP): one disassembled line per instruction with the
/// stage it runs on and the token balance of each queue after it, then the staged micro-ops.
/// </summary>
public static class StreamListingFormatter
{
    public static string Format(StreamListing listing, VtaConfig config)
    {
        var enc = new InsnEncoder(config);
        var dis = new InsnDisassembler(config);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# stream of {listing.Instructions.Count} instructions, {listing.Uops.Count} uops{(listing.Automatic ? " (automatic synchronization)" : "")}\n");
        sb.Append("# stage    l2g g2l g2s s2g  instruction\n");
        Span<int> b = stackalloc int[4];
        for (int i = 0; i < listing.Instructions.Count; i++)
        {
            var insn = listing.Instructions[i];
            Stages.Apply(insn, b);
            string line = dis.Decode(enc.Encode(insn, i), i).ToString();
            sb.Append(CultureInfo.InvariantCulture,
                $"  {Stages.Of(insn),-8} {b[(int)TokenQueue.L2G],3} {b[(int)TokenQueue.G2L],3} {b[(int)TokenQueue.G2S],3} {b[(int)TokenQueue.S2G],3}  {line}\n");
        }

        for (int i = 0; i < listing.Uops.Count; i++)
        {
            sb.Append("  ").Append(dis.DecodeUop(enc.EncodeUop(listing.Uops[i], i), i)).Append('\n');
        }

        return sb.ToString();
    }
}
