package org.careline.config;

import java.util.List;
import java.util.Map;

/**
 * A section of a message mapping that takes a piece of pieces.yaml: {@code use} names it; {@code fields} replace
 * the piece's fields of the same name for this message type only (or give fields the piece lacks).
 */
public record PieceUse(String use, Map<String, List<Hl7Source>> fields) {
}
