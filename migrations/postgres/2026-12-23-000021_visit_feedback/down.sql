DROP TABLE visit_feedback;
