"""Reading students' theory answers: numbers in every written form, and answer sheets."""
