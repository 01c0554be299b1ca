// Diagram
