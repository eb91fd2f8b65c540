"""What a citizen can expect and say: the measured processing time of a démarche, and anonymous opinions."""
