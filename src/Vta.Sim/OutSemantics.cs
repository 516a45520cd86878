namespace Vta.Sim;

/// <summary>Which design's OUT buffer behaviour the simulator follows.</summary>
public enum OutSemantics
{
    /// <summary>TVM's functional simulator: no OUT buffer; STORE truncates the ACC buffer at store time.</summary>
    Fsim,

    /// <summary>
    /// The HLS bitstream: a separate OUT buffer (ACC depth) written with the low 8 bits of every GEMM/ALU result;
    /// STORE reads it. Also models the HLS quirks (GEMM reset writes OUT = old_acc + dot, WGT loads ignore pads,
    /// UOP loads copy x_size consecutive uops, SHR uses the low 5 bits of the amount as signed).
    /// </summary>
    Hardware,
}
