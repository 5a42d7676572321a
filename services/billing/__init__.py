"""The shop's books as the server writes them: catalogue, sales, payments, credit notes, numbering."""
