"""Use cases. Each public function is one transaction; front ends call nothing below this."""
