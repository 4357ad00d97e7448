"""Social Learning Suite: XBlocks and shared Django apps."""
